"""Where an event's time goes: PostgreSQL per statement and py-spy samples of the app.

`BENCH_PG_STATS=1 python -m bench.profile [--seconds 8 --connections 16 --system app]`
(the stack then runs Debian's PostgreSQL with pg_stat_statements, see bench/debian_pg.py).
py-spy is optional (`PY_SPY=/path/to/py-spy`, default: on PATH); it samples every process of
the system under test while wrk sends the same signed cart bodies as webhook_load, only
threads holding the GIL (`--gil`), so the shares are of the app's Python CPU, not of waiting.
"""
import argparse
import collections
import os
import shutil
import subprocess

from bench.common import table, write_result
from bench.stack import Stack
from bench.webhook_load import cart_events, body_budget, PRODUCTS, warm_up
from bench.wrk import run_wrk, write_bodies

TOP = 15
TOP_PY = 40
STATEMENTS = """
    SELECT calls, mean_exec_time, mean_plan_time, plans, total_exec_time + total_plan_time AS total,
           rows, query
    FROM pg_stat_statements
    WHERE query !~* 'pg_stat_statements|^(BEGIN|COMMIT|ROLLBACK)'
    ORDER BY total DESC LIMIT %s
"""
CONTROL = "SELECT sum(calls)::int FROM pg_stat_statements WHERE query ~* '^(BEGIN|COMMIT)'"


def pg_statements(stack: Stack, events: int) -> dict:
    rows = stack.sql(STATEMENTS, (TOP,))
    control = stack.sql(CONTROL)[0][0] or 0
    total_calls = stack.sql("SELECT sum(calls)::int FROM pg_stat_statements "
                            "WHERE query !~* 'pg_stat_statements'")[0][0] or 0
    return {"per_event_with_begin_commit": total_calls / max(events, 1),
            "begin_commit_per_event": control / max(events, 1),
            "top": [{"calls_per_event": calls / max(events, 1), "mean_exec_ms": exec_ms,
                     "mean_plan_ms": plan_ms, "plans": plans, "total_ms": total, "rows": nrows,
                     "query": " ".join(query.split())[:160]}
                    for calls, exec_ms, plan_ms, plans, total, nrows, query in rows]}


def py_spy_top(raw: str, limit: int = TOP, only: str | None = None) -> dict:
    """Self and inclusive sample shares per function, from py-spy's collapsed stacks
    (`only`: of the stacks through that function)."""
    own, inclusive, total = collections.Counter(), collections.Counter(), 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or (only and f"{only} (" not in stack):
            continue
        n = int(count)
        frames = [f.split(" (")[0] + " " + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                  for f in stack.split(";") if not f.startswith(("process ", "thread ("))]
        total += n
        if frames:
            own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    def share(counts):
        return [[name, round(100 * n / max(total, 1), 1)] for name, n in counts.most_common(limit)]
    return {"samples": total, "self": share(own), "inclusive": share(inclusive)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--system", default="app")
    parser.add_argument("--wall", action="store_true",
                        help="sample waiting threads too (wall-clock), not only the GIL holder")
    parser.add_argument("--only", help="shares of the stacks through this function only, "
                                       "e.g. InboxWorker._work_queue (the inbox workers)")
    args = parser.parse_args(argv)
    py_spy = os.environ.get("PY_SPY") or shutil.which("py-spy")
    stack = Stack().start()
    try:
        stack.start_system(args.system)
        warm_up(stack, args.system)
        stack.reset()
        stack.add_products(PRODUCTS, 10**9)
        bodies = write_bodies(cart_events(body_budget(args.seconds), "profile"))
        stack.sql("SELECT pg_stat_statements_reset()")
        spy = None
        raw = stack.dir / "py-spy.txt"
        if py_spy:
            mode = ["--idle"] if args.wall else ["--gil"]
            spy = subprocess.Popen([py_spy, "record", "--subprocesses", "--nonblocking", *mode,
                                    "--format", "raw", "--rate", "200", "-o", str(raw),
                                    "-p", str(stack.procs["system"].pid)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = run_wrk(stack.url, bodies, args.connections, args.seconds)
        bodies.unlink()
        acked = result["requests"] - result["non_2xx"]
        events = stack.wait_replies(acked)["count"] if args.system != "bare" else acked
        if spy:
            spy.send_signal(2)
            spy.wait(timeout=60)
        pg = pg_statements(stack, events)
        spied = py_spy_top(raw.read_text(), TOP_PY, args.only) if spy and raw.exists() else None
    finally:
        stack.stop()
    path = write_result(f"profile_{args.system}", {"settings": vars(args), "events": events,
                                                   "postgres": pg, "py_spy": spied})
    print(f"{events} events; {pg['per_event_with_begin_commit']:.1f} statements per event "
          f"incl. {pg['begin_commit_per_event']:.1f} BEGIN/COMMIT\n")
    print(table(["calls/event", "mean exec ms", "mean plan ms", "plans", "total ms", "statement"],
                [[round(t["calls_per_event"], 2), round(t["mean_exec_ms"], 3),
                  round(t["mean_plan_ms"], 3), t["plans"], round(t["total_ms"]),
                  "`" + t["query"][:110] + "`"] for t in pg["top"]]))
    if spied:
        print(f"\npy-spy: {spied['samples']} samples")
        print(table(["self %", "function"], [[s, n] for n, s in spied["self"][:TOP]]))
        print(table(["inclusive %", "function"], [[s, n] for n, s in spied["inclusive"]]))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
