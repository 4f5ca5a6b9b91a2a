"""A small Python sender for the non-throughput benches (latency, contention, setup)."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.common import body_for

_local = threading.local()


def post(url: str, event: dict) -> tuple[float, float, int]:
    """POST one signed event; returns (sent at, ack seconds, status)."""
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    body, signature = body_for(event)
    headers = {"Content-Type": "application/json", "X-Line-Signature": signature}
    sent = time.time()
    started = time.perf_counter()
    response = _local.session.post(f"{url}/callback", data=body, headers=headers, timeout=30)
    return sent, time.perf_counter() - started, response.status_code


def burst(url: str, events: list[dict], concurrency: int = 32) -> list[tuple[float, float, int]]:
    """Send every event as fast as `concurrency` connections allow."""
    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(lambda e: post(url, e), events))


def open_loop(url: str, events: list[dict], rate: float) -> list[tuple[float, float, int]]:
    """Send event i at start + i/rate, whether or not earlier ones were answered."""
    results = [None] * len(events)
    start = time.monotonic() + 0.2

    def send(i):
        time.sleep(max(0.0, start + i / rate - time.monotonic()))
        results[i] = post(url, events[i])

    with ThreadPoolExecutor(64) as pool:
        list(pool.map(send, range(len(events))))
    return results
