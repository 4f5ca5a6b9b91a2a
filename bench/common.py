"""Shared bench pieces: settings, signed LINE bodies, statistics, machine facts, result files."""
import base64
import hashlib
import hmac
import json
import os
import platform
import secrets
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

CHANNEL_SECRET = "bench-channel-secret-0123456789ab"
ACCESS_TOKEN = "bench-channel-access-token"
SHOP_NO = "NA0249_001"
# The bank's public sandbox demo keys (also the emulator's defaults): not secrets.
HASH_KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
X_KEY_ID = "00000000-0000-4000-8000-000000000000"
BOT_USER_ID = "U" + "b" * 32
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def sign(body: bytes) -> str:
    digest = hmac.new(CHANNEL_SECRET.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def user_id(n: int, run: str = "") -> str:
    """A LINE-shaped user id, distinct per (run, n)."""
    return "U" + hashlib.md5(f"{run}:{n}".encode()).hexdigest()


def event_id(timestamp_ms: int) -> str:
    value = (timestamp_ms << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


def _event(kind: str, uid: str, **payload) -> dict:
    ts = int(time.time() * 1000)
    return {"type": kind, "mode": "active", "timestamp": ts,
            "source": {"type": "user", "userId": uid}, "webhookEventId": event_id(ts),
            "deliveryContext": {"isRedelivery": False}, "replyToken": secrets.token_hex(16),
            **payload}


def text_event(uid: str, text: str) -> dict:
    message = {"id": str(secrets.randbelow(10**17) + 5 * 10**17), "type": "text", "text": text,
               "quoteToken": secrets.token_urlsafe(48)}
    return _event("message", uid, message=message)


def postback_event(uid: str, data: str) -> dict:
    return _event("postback", uid, postback={"data": data})


def body_for(event: dict) -> tuple[bytes, str]:
    """One webhook body holding `event`, and its X-Line-Signature."""
    body = json.dumps({"destination": BOT_USER_ID, "events": [event]}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    return body, sign(body)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    """Median and spread (min, max) of repeated measurements."""
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                  .splitlines() if line.startswith("model name")), platform.processor())
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {"nproc": os.cpu_count(), "model": model, "ram_gib": round(mem_kb / 2**20, 1),
            "loadavg": os.getloadavg(), "python": platform.python_version(),
            "kernel": platform.release()}


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {"bench": name, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {**machine(), "loadavg_at_end": os.getloadavg()}, **data}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: list[str], rows: list[list]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
