"""Fixtures: the LINE emulator and a tiny line-bot-sdk v3 bot, both on loopback HTTP."""

import struct
import zlib
from dataclasses import dataclass, field
from typing import Callable

import pytest
from flask import Flask, request
from linebot.v3 import WebhookParser
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, ReplyMessageRequest

from sandbox.line_emulator import LineState, create_line_emulator, serve_in_thread
from tests.support.settings import EMULATOR_SECRET as SECRET
from tests.support.settings import EMULATOR_TOKEN as TOKEN


class FakeClock:
    """A settable clock so token expiry is tested without sleeping."""

    def __init__(self, now: float = 1_790_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class TinyBot:
    """What the test bot saw; `reply_with(event)` returns messages to reply, or None for no reply."""

    events: list = field(default_factory=list)
    reply_with: Callable | None = None


def create_tiny_bot(api_host: str, bot: TinyBot) -> Flask:
    """A minimal Flask LINE bot using the real SDK v3 parser and MessagingApi."""
    app = Flask("tiny_bot")
    parser = WebhookParser(SECRET)
    configuration = Configuration(host=api_host, access_token=TOKEN)

    @app.post("/callback")
    def callback():
        body = request.get_data(as_text=True)
        payload = parser.parse(body, request.headers["X-Line-Signature"], as_payload=True)
        for event in payload.events:
            bot.events.append(event)
            messages = bot.reply_with(event) if bot.reply_with else None
            if messages:
                with ApiClient(configuration) as client:
                    MessagingApi(client).reply_message(
                        ReplyMessageRequest(reply_token=event.reply_token, messages=messages),
                        _request_timeout=5)
        return "OK"

    return app


@dataclass
class Line:
    """The running pair: emulator state + URLs, the bot's record, and an SDK client factory."""

    state: LineState
    clock: FakeClock
    emulator_url: str
    bot: TinyBot

    def api(self, token: str = TOKEN) -> ApiClient:
        """An SDK ApiClient pointed at the emulator."""
        return ApiClient(Configuration(host=self.emulator_url, access_token=token))


@pytest.fixture
def line():
    """Emulator and tiny bot on loopback; the bot's webhook is registered in the emulator."""
    clock = FakeClock()
    state = LineState(SECRET, TOKEN, clock=clock, bot_name="測試商店")
    emulator, emulator_url = serve_in_thread(create_line_emulator(state))
    bot = TinyBot()
    bot_server, bot_url = serve_in_thread(create_tiny_bot(emulator_url, bot))
    state.webhook_url = f"{bot_url}/callback"
    yield Line(state, clock, emulator_url, bot)
    bot_server.shutdown()
    emulator.shutdown()
    bot_server.server_close()
    emulator.server_close()
    state.close()


@pytest.fixture
def make_png():
    """A function building single-colour PNGs, for rich menu images."""
    return _png


def _png(width: int, height: int, rgb: tuple[int, int, int] = (6, 199, 85)) -> bytes:
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
