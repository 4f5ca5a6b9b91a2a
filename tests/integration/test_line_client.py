"""The LINE client at the HTTP edge: one kept-alive connection, our JSON as sent, LINE's errors."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handlers.line_client import LineMessenger
from handlers.delivery import LineSendError


class KeepAliveLine(BaseHTTPRequestHandler):
    """A LINE stand-in speaking HTTP/1.1 keep-alive; answers with `server.answers` in turn."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen.append({"connection": self.client_address, "path": self.path,
                                 "headers": dict(self.headers), "body": json.loads(body)})
        status, answer = self.server.answers.pop(0) if self.server.answers else (200, {})
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-line-request-id", "req-1")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def line_http():
    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAliveLine)
    server.seen, server.answers = [], []
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def messenger_for(server) -> LineMessenger:
    return LineMessenger(f"http://127.0.0.1:{server.server_port}/", "token-1", timeout=3)


def test_replies_and_pushes_share_one_kept_alive_connection_and_send_our_json(line_http):
    messenger = messenger_for(line_http)
    flex = {"type": "flex", "altText": "購物車 cart", "contents": {"type": "bubble"}}

    for n in range(5):
        messenger.reply(f"token-{n}", [flex])
        messenger.push("U" + "1" * 32, [{"type": "text", "text": "已收到"}], f"key-{n}")

    assert len({request["connection"] for request in line_http.seen}) == 1
    first, second = line_http.seen[:2]
    assert first["path"] == "/v2/bot/message/reply"
    assert first["body"] == {"replyToken": "token-0", "messages": [flex]}
    assert first["headers"]["Authorization"] == "Bearer token-1"
    assert second["path"] == "/v2/bot/message/push"
    assert second["headers"]["X-Line-Retry-Key"] == "key-0"


def test_line_refusals_say_whether_to_retry_and_when_the_reply_token_is_spent(line_http):
    messenger = messenger_for(line_http)
    line_http.answers = [(400, {"message": "Invalid reply token"}), (500, {"message": "oops"}),
                         (409, {"message": "The retry key is already accepted"})]

    with pytest.raises(LineSendError) as spent:
        messenger.reply("used", [{"type": "text", "text": "hi"}])
    with pytest.raises(LineSendError) as busy:
        messenger.reply("fresh", [{"type": "text", "text": "hi"}])
    messenger.push("U" + "1" * 32, [{"type": "text", "text": "hi"}], "key-1")  # 409: accepted

    assert spent.value.token_spent and not spent.value.retry
    assert busy.value.retry and busy.value.status == 500


def test_an_unreachable_line_is_a_retryable_send_error():
    messenger = LineMessenger("http://127.0.0.1:9", "token-1", timeout=1)

    with pytest.raises(LineSendError) as refused:
        messenger.reply("token", [{"type": "text", "text": "hi"}])

    assert refused.value.retry and refused.value.status is None
