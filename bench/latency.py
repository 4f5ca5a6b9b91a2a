"""End-to-end latency (event sent → reply at the LINE emulator), open loop at a fixed rate.

`python -m bench.latency [--rate 20] [--seconds 15] [--reps 3]`: bare+reply vs the bot,
interleaved. An open loop sends on schedule whatever the answers, so queueing shows.
"""
import argparse
import time

from bench.client import open_loop
from bench.common import percentile, summary, table, text_event, user_id, write_result
from bench.stack import Stack

SYSTEMS = ("bare+reply", "app")


def one_run(stack: Stack, system: str, rate: float, seconds: int, tag: str) -> dict:
    stack.reset()
    stack.add_products(20, 10**9)
    count = int(rate * seconds)
    events = [text_event(user_id(n, tag), f"cart {n % 20 + 1} +1") for n in range(count)]
    sent = open_loop(stack.url, events, rate)
    stack.wait_replies(count)
    arrivals = stack.replies(times=True)["arrivals"]
    latencies = [(arrivals[e["replyToken"]] - s[0]) * 1000
                 for e, s in zip(events, sent) if e["replyToken"] in arrivals]
    return {"system": system, "events": count, "replied": len(latencies),
            "e2e_p50_ms": percentile(latencies, 50), "e2e_p90_ms": percentile(latencies, 90),
            "e2e_p99_ms": percentile(latencies, 99),
            "ack_p50_ms": percentile([s[1] * 1000 for s in sent], 50)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    runs = []
    stack = Stack().start()
    try:
        for rep in range(args.reps):
            for system in (SYSTEMS if rep % 2 == 0 else SYSTEMS[::-1]):
                stack.start_system(system)
                one_run(stack, system, args.rate, 2, f"warm-{rep}-{system}")
                run = one_run(stack, system, args.rate, args.seconds, f"{rep}-{system}-{time.time()}")
                run["rep"] = rep
                runs.append(run)
                print(run, flush=True)
    finally:
        stack.stop()
    figures = {s: {k: summary([r[k] for r in runs if r["system"] == s])
                   for k in ("e2e_p50_ms", "e2e_p90_ms", "e2e_p99_ms", "ack_p50_ms")}
               for s in SYSTEMS}
    path = write_result("latency", {"settings": vars(args), "runs": runs, "figures": figures})
    rows = [[s] + [f"{f[k]['median']:.1f} ({f[k]['min']:.1f}–{f[k]['max']:.1f})"
                   for k in ("e2e_p50_ms", "e2e_p90_ms", "e2e_p99_ms")]
            for s, f in figures.items()]
    print(table([f"system (open loop {args.rate:g} ev/s)", "e2e p50 ms", "e2e p90 ms",
                 "e2e p99 ms"], rows))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
