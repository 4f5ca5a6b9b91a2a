"""Webhook load: bare vs bare+reply vs the bot, interleaved, at several connection counts.

`python -m bench.webhook_load [--seconds 8] [--reps 3] [--connections 4 16 64]`
Signed `cart <pid> +1` / `-1` texts from many distinct shoppers; bodies are built and signed
before timing starts; wrk (its own process) sends them. Per run: acks/s, ack p50/p99, replies
that reached the LINE emulator per second (backlog drained), and CPU ms per event.
"""
import argparse
import os
import time

from bench.common import summary, table, text_event, user_id, write_result
from bench.stack import SYSTEMS, Stack
from bench.wrk import run_wrk, write_bodies

PRODUCTS = 20
SHOPPERS = 5000


def cart_events(count: int, run: str) -> list[dict]:
    """Distinct shoppers adding (first pass) then removing (second pass) one unit."""
    events = []
    for n in range(count):
        shopper, lap = n % SHOPPERS, n // SHOPPERS
        sign = "+1" if lap % 2 == 0 else "-1"
        events.append(text_event(user_id(shopper, run), f"cart {shopper % PRODUCTS + 1} {sign}"))
    return events


def body_budget(seconds: float) -> int:
    """More bodies than the fastest system can take in `seconds` (none is ever resent)."""
    return int(float(os.environ.get("BENCH_MAX_RATE", "4000")) * seconds)


def one_run(stack: Stack, system: str, connections: int, seconds: float, tag: str) -> dict:
    stack.reset()
    stack.add_products(PRODUCTS, 10**9)
    bodies = write_bodies(cart_events(body_budget(seconds), tag))
    try:
        before = stack.cpu()
        result = run_wrk(stack.url, bodies, connections, seconds)
        acked = result["requests"] - result["non_2xx"]
        replies = stack.wait_replies(acked if system != "bare" else 0)
        after = stack.cpu()
    finally:
        bodies.unlink()
    events = replies["count"] if system != "bare" else acked
    cpu = {k: (after[k] - before[k]) * 1000 / max(events, 1) for k in before}
    processed = None
    if system != "bare" and replies["last"]:
        processed = replies["count"] / (replies["last"] - result["started"])
    return {"system": system, "connections": connections, "acks": acked,
            "ack_per_s": result["ack_per_s"], "p50_ms": result["p50_us"] / 1000,
            "p99_ms": result["p99_us"] / 1000, "max_ms": result["max_us"] / 1000,
            "errors": {k: result[k] for k in ("connect_errors", "read_errors", "write_errors",
                                              "non_2xx", "timeouts")},
            "exhausted": result["exhausted"], "replies": replies["count"],
            "emulator_errors": replies["stats"]["errors"],
            "processed_per_s": processed, "cpu_ms_per_event": cpu,
            "server_cpu_ms_per_event": cpu["app"] + cpu["postgres"]}


def warm_up(stack: Stack, system: str) -> None:
    one_run(stack, system, 16, 2, f"warm-{system}-{time.time()}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--connections", type=int, nargs="+", default=[4, 16, 64])
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS))
    args = parser.parse_args(argv)
    runs = []
    stack = Stack().start()
    try:
        for rep in range(args.reps):
            # Interleave: each repetition starts with a different system.
            order = args.systems[rep % len(args.systems):] + args.systems[:rep % len(args.systems)]
            for system in order:
                stack.start_system(system)
                warm_up(stack, system)
                for connections in args.connections:
                    run = one_run(stack, system, connections, args.seconds,
                                  f"{rep}-{system}-{connections}")
                    run["rep"] = rep
                    runs.append(run)
                    print(f"rep {rep} {system:10} c={connections:3} ack/s={run['ack_per_s']:7.0f} "
                          f"p99={run['p99_ms']:6.1f}ms processed/s={run['processed_per_s'] or 0:6.0f}"
                          f" server cpu={run['server_cpu_ms_per_event']:.2f}ms/ev"
                          f" emu cpu={run['cpu_ms_per_event']['emulator']:.2f} "
                          f"errors={run['errors']} emu_errors={run['emulator_errors']}", flush=True)
        stack.stop_system()
    finally:
        stack.stop()
    figures = aggregate(runs, args.systems, args.connections)
    path = write_result("webhook_load", {"settings": vars(args), "runs": runs,
                                         "figures": figures})
    print(render(figures))
    print(f"\nwrote {path}")


FIELDS = ("ack_per_s", "p50_ms", "p99_ms", "processed_per_s", "server_cpu_ms_per_event")


def aggregate(runs, systems, connections) -> list[dict]:
    figures = []
    for system in systems:
        for conns in connections:
            mine = [r for r in runs if r["system"] == system and r["connections"] == conns]
            row = {"system": system, "connections": conns}
            for field in FIELDS:
                row[field] = summary([r[field] for r in mine])
            for part in ("app", "postgres", "emulator"):
                row[f"cpu_{part}"] = summary([r["cpu_ms_per_event"][part] for r in mine])
            figures.append(row)
    return figures


def render(figures) -> str:
    def cell(s, digits=1):
        if s["median"] is None:
            return "–"
        return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"
    rows = [[f["system"], f["connections"], cell(f["ack_per_s"], 0), cell(f["p50_ms"]),
             cell(f["p99_ms"]), cell(f["processed_per_s"], 0), cell(f["cpu_app"], 2),
             cell(f["cpu_postgres"], 2), cell(f["cpu_emulator"], 2)] for f in figures]
    return table(["system", "conns", "acks/s", "ack p50 ms", "ack p99 ms", "processed/s",
                  "CPU app ms/ev", "CPU PG ms/ev", "CPU emulator ms/ev"], rows)


if __name__ == "__main__":
    main()
