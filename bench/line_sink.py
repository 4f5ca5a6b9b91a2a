"""The LINE emulator as the bench runs it: any reply token accepted once, reply times noted.

The bench signs its own webhook bodies (built before timing starts), so the emulator never
issued their reply tokens. `BenchLineState` accepts an unknown token once (a second use is
still refused, as LINE does) and notes when each reply arrived, for end-to-end latency.
Served by gunicorn (one process, so one state): `gunicorn 'bench.line_sink:create()'`.
"""
import threading
import time

from flask import jsonify, request

from bench.common import ACCESS_TOKEN, CHANNEL_SECRET
from sandbox.line_emulator import LineState, create_line_emulator

# Replies are delivered to no conversation: the shoppers are the bench's, not the emulator's.
NOBODY = "U" + "0" * 32


class BenchLineState(LineState):
    """LineState whose reply tokens come from the bench."""

    def __init__(self):
        super().__init__(CHANNEL_SECRET, ACCESS_TOKEN, seed_shoppers=False)
        self._lock = threading.Lock()
        self.arrivals: dict[str, float] = {}
        self.first_reply: float | None = None
        self.last_reply: float | None = None

    def use_reply_token(self, token: str) -> str | None:
        now = time.time()
        with self._lock:
            if token in self.arrivals:
                return None
            self.arrivals[token] = now
            self.first_reply = self.first_reply or now
            self.last_reply = now
        return NOBODY

    def clear(self) -> None:
        with self._lock:
            self.arrivals.clear()
            self.first_reply = self.last_reply = None
        self.reset()


def create():
    """The emulator app plus /_bench endpoints (reply times, reset)."""
    state = BenchLineState()
    app = create_line_emulator(state)

    @app.get("/_bench/replies")
    def replies():
        with state._lock:
            arrivals = dict(state.arrivals) if request.args.get("times") else {}
            return jsonify(count=len(state.arrivals), first=state.first_reply,
                           last=state.last_reply, arrivals=arrivals, stats=state.stats())

    @app.post("/_bench/reset")
    def reset():
        state.clear()
        return jsonify(ok=True)

    return app
