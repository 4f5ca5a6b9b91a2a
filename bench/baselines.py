"""The least this design can do per event, under the same gunicorn settings as the bot.

*bare*: verify X-Line-Signature, one pooled PostgreSQL round trip (an autocommit INSERT of the
body: the event is durably stored before the 200, as the bot's inbox does), 200.
*bare+reply*: the same, plus one reply call to the LINE emulator over a kept-alive connection.
The bench creates its table `bench_events (id bigserial, body jsonb)` before starting these.
Run: `gunicorn 'bench.baselines:create("bare")'` with DATABASE_URL, LINE_API_BASE_URL set.
"""
import base64
import hashlib
import hmac
import json
import os
import threading
from contextlib import contextmanager

import requests
from flask import Flask, abort, request
from psycopg2.pool import ThreadedConnectionPool

from bench.common import ACCESS_TOKEN, CHANNEL_SECRET

def create(kind: str) -> Flask:
    """The `bare` or `bare+reply` app."""
    size = int(os.environ.get("DB_POOL_SIZE", "16"))
    # minconn == maxconn, as the bot's pool: otherwise returned connections get closed.
    pool = ThreadedConnectionPool(size, size, os.environ["DATABASE_URL"])
    api = os.environ.get("LINE_API_BASE_URL", "").rstrip("/")
    local = threading.local()
    secret = CHANNEL_SECRET.encode()
    app = Flask(__name__)

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["Authorization"] = f"Bearer {ACCESS_TOKEN}"
        return local.session

    @app.post("/callback")
    def callback():
        body = request.get_data()
        expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(expected, request.headers.get("X-Line-Signature", "")):
            abort(400)
        with _conn(pool) as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO bench_events (body) VALUES (%s)", (body.decode(),))
        if kind == "bare+reply":
            for event in json.loads(body)["events"]:
                if event.get("replyToken"):
                    response = session().post(f"{api}/v2/bot/message/reply", timeout=10, json={
                        "replyToken": event["replyToken"],
                        "messages": [{"type": "text", "text": "OK"}]})
                    response.raise_for_status()
        return "OK"

    return app


@contextmanager
def _conn(pool):
    conn = pool.getconn()
    conn.autocommit = True
    try:
        yield conn
    finally:
        pool.putconn(conn)
