"""A local LINE Pay (Online API v3) emulator: the API, the payment page and test knobs.

Run it with `python -m linepay.emulator --port 8003`; tests use `create_emulator` and
`serve_in_thread`. Every answer is HTTP 200 JSON {returnCode, returnMessage, info?} (§13
of shared/refs/linepay.md). Emulator rules where LINE Pay's code is UNVERIFIED (§14):
1104 unknown channel, 1106 missing headers, a bad signature or a reused nonce.
"""
from __future__ import annotations

import argparse
import hmac
import json
import threading
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, abort, redirect, render_template, request
from werkzeug.serving import BaseWSGIServer, make_server

from . import emulator_api as api
from .emulator_state import LinePayState
from .signing import signature

# The sample secret printed in yidas's public gist (§2.3): not a merchant key.
DEMO_CHANNEL_ID = "1656000000"
DEMO_CHANNEL_SECRET = "a917ab6a2367b536f8e5a6e2977e06f4"
BIG_IDS = ("transactionId", "refundTransactionId")


def _answer(state: LinePayState, code: str, message: str, info: dict | None = None):
    body = {"returnCode": code, "returnMessage": message}
    if info is not None:
        if state.ids_as_strings:
            info = {key: str(value) if key in BIG_IDS else value for key, value in info.items()}
        body["info"] = info
    # json.dumps writes ints as bare exact digits, as LINE Pay does (§11).
    return Response(json.dumps(body, ensure_ascii=False).encode("utf-8"),
                    content_type="application/json; charset=utf-8")


def _confirm_redirect(confirm_url: str, transaction_id: int, order_id: str) -> str:
    """§4: append transactionId and orderId (orderId only if not already there)."""
    parts = urlsplit(confirm_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = {name for name, _ in query}
    query.append(("transactionId", str(transaction_id)))
    if "orderId" not in names:
        query.append(("orderId", order_id))
    return urlunsplit(parts._replace(query=urlencode(query)))


def create_emulator(state: LinePayState | None = None) -> Flask:
    """Build the emulator app around `state` (a fresh LinePayState if None)."""
    app = Flask(__name__)
    state = state if state is not None else LinePayState()
    app.extensions["linepay_emulator"] = state

    def authenticate():
        """Return (channel, None) for a correctly signed request, else (None, refusal)."""
        channel = state.channels.get(request.headers.get("X-LINE-ChannelId", ""))
        if channel is None:
            return None, api.Refusal("1104", "Merchant not found.")
        nonce = request.headers.get("X-LINE-Authorization-Nonce", "")
        given = request.headers.get("X-LINE-Authorization", "")
        try:
            # §2.2: POST signs the raw body, GET the raw query string without "?".
            payload = (request.get_data() if request.method == "POST"
                       else request.query_string).decode("utf-8")
        except UnicodeDecodeError:
            return None, api.Refusal("2102", "JSON format error.")
        expected = signature(channel.channel_secret, request.path, payload, nonce)
        if not nonce or not hmac.compare_digest(given.encode(), expected.encode()):
            return None, api.Refusal("1106", "Header information error: bad signature.")
        if not state.spend_nonce(channel.channel_id, nonce):
            return None, api.Refusal("1106", "Header information error: nonce already used.")
        return channel, None

    def outcome(handler, *args, body_required: bool = True) -> tuple[str, str, dict | None]:
        """Authenticate, parse the body, run `handler`; return (returnCode, message, info)."""
        channel, refusal = authenticate()
        if refusal is not None:
            return refusal.code, refusal.message, None
        raw = request.get_data(as_text=True)
        try:
            # §2.2: a full refund may come with an empty body or "{}".
            body = json.loads(raw) if raw or body_required else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return "2102", "JSON format error.", None
        try:
            return (*api.SUCCESS, handler(state, channel, *args, body))
        except api.Refusal as exc:
            return exc.code, exc.message, None

    @app.post("/v3/payments/request")
    def request_payment():
        public_url = (state.public_url or request.host_url).rstrip("/")
        return _answer(state, *outcome(
            lambda s, channel, body: api.request_payment(s, channel, body, public_url)))

    @app.post("/v3/payments/<int:transaction_id>/confirm")
    def confirm(transaction_id: int):
        code, message, info = outcome(api.confirm, transaction_id)
        drop = state.take_dropped_confirm() if code == api.SUCCESS[0] else None
        if drop == "500":
            abort(500)  # confirmed, but the merchant never hears it
        if drop == "timeout":
            time.sleep(state.hang_seconds)  # confirmed, answered after the client gave up
        return _answer(state, code, message, info)

    @app.get("/v3/payments/requests/<int:transaction_id>/check")
    def check(transaction_id: int):
        channel, refusal = authenticate()
        if refusal is not None:
            return _answer(state, refusal.code, refusal.message)
        try:
            return _answer(state, *api.check(state, channel, transaction_id))
        except api.Refusal as exc:
            return _answer(state, exc.code, exc.message)

    @app.post("/v3/payments/<int:transaction_id>/refund")
    def refund(transaction_id: int):
        return _answer(state, *outcome(api.refund, transaction_id, body_required=False))

    _add_payment_page(app, state)
    _add_knobs(app, state)
    return app


def _add_payment_page(app: Flask, state: LinePayState) -> None:
    """The page behind paymentUrl.web: the shopper approves or cancels (§4)."""

    def transaction_for(reserve_id: str):
        transaction = state.find_by_reserve_id(reserve_id)
        if transaction is None:
            abort(404)
        return transaction

    @app.get("/web/payment/wait")
    def payment_page():
        transaction = transaction_for(request.args.get("transactionReserveId", ""))
        return render_template("linepay/payment.html", t=transaction)

    @app.post("/web/payment/<reserve_id>")
    def payment_submit(reserve_id: str):
        transaction = transaction_for(reserve_id)
        urls = transaction.body["redirectUrls"]
        if request.form.get("action") == "approve":
            if state.approve(transaction.transaction_id):
                return redirect(_confirm_redirect(urls["confirmUrl"], transaction.transaction_id,
                                                  transaction.order_id), 303)
        elif state.cancel(transaction.transaction_id):
            return redirect(urls["cancelUrl"], 303)
        return render_template("linepay/payment.html", t=transaction), 409


def _add_knobs(app: Flask, state: LinePayState) -> None:
    """Test knobs as explicit routes (style rule 22)."""

    @app.post("/_emulator/config")
    def config():
        body = request.get_json(silent=True) or {}
        if body.get("drop_mode", state.drop_mode) not in ("500", "timeout"):
            abort(400)
        with state.lock:
            state.ids_as_strings = bool(body.get("ids_as_strings", state.ids_as_strings))
            state.drop_confirm_answers = int(body.get("drop_confirm_answers",
                                                      state.drop_confirm_answers))
            state.drop_mode = body.get("drop_mode", state.drop_mode)
            state.hang_seconds = float(body.get("hang_seconds", state.hang_seconds))
            return {"ids_as_strings": state.ids_as_strings, "drop_mode": state.drop_mode,
                    "drop_confirm_answers": state.drop_confirm_answers,
                    "hang_seconds": state.hang_seconds}

    @app.post("/_emulator/transactions/<int:transaction_id>/fail")
    def fail(transaction_id: int):
        return ("", 204) if state.fail(transaction_id) else abort(409)

    @app.get("/_emulator/transactions")
    def transactions():
        return state.transaction_list()


def serve_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0
                    ) -> tuple[BaseWSGIServer, str]:
    """Serve `app` from a daemon thread; return the server (call `.shutdown()`) and its URL."""
    server = make_server(host, port, app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True, name="linepay-emulator").start()
    return server, f"http://{host}:{server.server_port}"


def main(argv: list[str] | None = None) -> None:
    """Run the emulator for one channel from the command line."""
    parser = argparse.ArgumentParser(description="LINE Pay Online API v3 emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8003)
    parser.add_argument("--channel-id", default=DEMO_CHANNEL_ID)
    parser.add_argument("--channel-secret", default=DEMO_CHANNEL_SECRET)
    parser.add_argument("--public-url", help="URL shoppers' browsers use (default: request host)")
    args = parser.parse_args(argv)
    state = LinePayState(public_url=args.public_url)
    state.add_channel(args.channel_id, args.channel_secret)
    server = make_server(args.host, args.port, create_emulator(state), threaded=True)
    print(f"LINE Pay emulator: LINEPAY_API_URL=http://{args.host}:{server.server_port}")
    server.serve_forever()


if __name__ == "__main__":
    main()
