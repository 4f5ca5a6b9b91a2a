"""A local LINE Platform: Messaging API, webhook sender and a browser chat page.

`create_line_emulator(state)` builds the Flask app around one LineState; `serve_in_thread` runs
it on loopback for tests. `python -m sandbox.line_emulator --port 8002 --secret … --token …
--webhook http://127.0.0.1:8000/callback` runs it by hand.
"""

import argparse
import logging
import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from sandbox import line_limits as L
from sandbox.line_api import bp as api_bp
from sandbox.line_chat import bp as chat_bp
from sandbox.line_liff import bp as liff_bp
from sandbox.line_state import LineState
from sandbox.line_validator import validate_messages

__all__ = ["LineState", "create_line_emulator", "serve_in_thread", "validate_messages"]


def create_line_emulator(state: LineState) -> Flask:
    """Build the emulator app; every request reads and writes `state`."""
    app = Flask("sandbox")
    # LINE answers 413 for bodies over 2 MB (§2.1); Werkzeug raises it when the body is read.
    app.config["MAX_CONTENT_LENGTH"] = L.MAX_REQUEST_BYTES
    app.json.ensure_ascii = False
    app.extensions["line_state"] = state
    app.register_blueprint(api_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(liff_bp)
    return app


def serve_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0) -> tuple[BaseWSGIServer, str]:
    """Serve `app` from a daemon thread; returns the server (call `.shutdown()`) and its base URL."""
    server = make_server(host, port, app, threaded=True)
    # A short poll interval keeps `shutdown()` fast in test teardown.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     name=f"serve-{server.port}", daemon=True).start()
    return server, f"http://{host}:{server.port}"


def main(argv: list[str] | None = None) -> None:
    """Run the emulator from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    parser.add_argument("--secret", required=True, help="channel secret used to sign webhooks")
    parser.add_argument("--token", required=True, help="channel access token the bot must send")
    parser.add_argument("--webhook", help="the bot's webhook URL, e.g. http://127.0.0.1:8000/callback")
    parser.add_argument("--name", default="LINE 商店", help="shop name shown in the chat header")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    state = LineState(args.secret, args.token, args.webhook, bot_name=args.name)
    print(f"LINE emulator on http://{args.host}:{args.port}/chat  (API host for the bot: "
          f"http://{args.host}:{args.port})")
    create_line_emulator(state).run(args.host, args.port, threaded=True)


if __name__ == "__main__":
    main()
