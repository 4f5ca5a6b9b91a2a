"""Run wrk in its own process with pre-signed bodies, and read its summary."""
import json
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import body_for

LUA = Path(__file__).resolve().parent / "signed_bodies.lua"
WRK_THREADS = 2
CLOSE_EVERY = 200


def write_bodies(events: list[dict]) -> Path:
    """Sign every event into a file wrk reads before timing starts."""
    handle = tempfile.NamedTemporaryFile("wb", prefix="bench-bodies-", suffix=".tsv", delete=False)
    with handle:
        for event in events:
            body, signature = body_for(event)
            handle.write(signature.encode() + b"\t" + body + b"\n")
    return Path(handle.name)


def run_wrk(url: str, bodies: Path, connections: int, seconds: float) -> dict:
    """wrk's figures, plus `started` (wall clock) for processed-rate arithmetic."""
    threads = min(WRK_THREADS, connections)
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{int(seconds)}s",
            "--timeout", "10s", "--latency", "-s", str(LUA), f"{url}/callback", "--",
            str(bodies), str(threads), str(CLOSE_EVERY)]
    started = time.time()
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 120)
    if out.returncode:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    line = next(row for row in out.stdout.splitlines() if row.startswith("BENCH_JSON "))
    result = json.loads(line[len("BENCH_JSON "):])
    result["started"] = started
    result["ack_per_s"] = result["requests"] / (result["duration_us"] / 1e6)
    result["non_2xx"] = result["status_errors"]
    return result
