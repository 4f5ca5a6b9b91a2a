"""Webhook ack latency while the bank takes 1 s per call (payment postbacks, ATM).

`python -m bench.slow_bank [--seconds 8] [--orders 200]`: prepares orders (cart + buy),
then sends `action=pay&order=N&method=atm` postbacks from their owners, once with the bank
emulator answering at once and once with `latency: 1.0`: an open loop at --rate events/s
(ack latency measured by the client), then wrk at 16 connections (saturating, closed loop).
"""
import argparse
import time

import requests

from bench.client import burst, open_loop
from bench.common import percentile, postback_event, table, text_event, user_id, write_result
from bench.stack import Stack
from bench.wrk import run_wrk, write_bodies


def prepare(stack: Stack, count: int, tag: str) -> list[tuple[str, int]]:
    stack.reset()
    stack.add_products(1, 10**6)
    uids = [user_id(n, tag) for n in range(count)]
    stack.give_delivery_details(uids)
    burst(stack.url, [text_event(u, "cart 1 +1") for u in uids])
    stack.wait_replies(count)
    burst(stack.url, [postback_event(u, "action=buy") for u in uids])
    stack.wait_replies(2 * count)
    return [(u, int(i)) for u, i in stack.sql("SELECT user_id, id FROM orders ORDER BY id")]


def one_run(stack: Stack, latency: float, orders: int, seconds: int, connections: int,
            rate: float) -> dict:
    owned = prepare(stack, max(orders, int(rate * seconds)), f"bank-{latency}-{time.time()}")
    requests.post(stack.bank_url + "/_emulator/config", json={"latency": latency},
                  timeout=10).raise_for_status()
    paced = [postback_event(u, f"action=pay&order={o}&method=atm") for u, o in owned]
    acks = [a[1] * 1000 for a in open_loop(stack.url, paced[:int(rate * seconds)], rate)]
    events = [postback_event(u, f"action=pay&order={o}&method=atm")
              for n in range(3000 * seconds // len(owned) + 1) for u, o in owned]
    bodies = write_bodies(events)
    try:
        result = run_wrk(stack.url, bodies, connections, seconds)
    finally:
        bodies.unlink()
        requests.post(stack.bank_url + "/_emulator/config", json={"latency": 0},
                      timeout=10).raise_for_status()
    return {"bank_latency_s": latency, "connections": connections, "open_loop_rate": rate,
            "open_p50_ms": percentile(acks, 50), "open_p99_ms": percentile(acks, 99),
            "ack_per_s": result["ack_per_s"], "p50_ms": result["p50_us"] / 1000,
            "p99_ms": result["p99_us"] / 1000, "max_ms": result["max_us"] / 1000,
            "non_2xx": result["non_2xx"], "timeouts": result["timeouts"],
            "exhausted": result["exhausted"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=float, default=50)
    args = parser.parse_args(argv)
    stack = Stack().start()
    runs = []
    try:
        for latency in (0.0, 1.0):
            # A fresh app per run: a slow-bank backlog must not spill into the next run.
            stack.start_system("app")
            runs.append(one_run(stack, latency, args.orders, args.seconds, args.connections,
                                args.rate))
            print(runs[-1], flush=True)
    finally:
        stack.stop()
    path = write_result("slow_bank", {"settings": vars(args), "runs": runs})
    print(table(["bank latency s", f"open loop {args.rate:g}/s: ack p50 ms", "ack p99 ms",
                 f"wrk {args.connections} conns: acks/s", "ack p50 ms", "ack p99 ms"],
                [[r["bank_latency_s"], r["open_p50_ms"], r["open_p99_ms"], r["ack_per_s"],
                  r["p50_ms"], r["p99_ms"]] for r in runs]))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
