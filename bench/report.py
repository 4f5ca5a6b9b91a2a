"""Markdown report from bench/results/*.json, with the targets checked: `python -m bench.report`."""
import json

from bench.common import RESULTS, fmt, table


def load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def med(stat) -> float | None:
    return stat["median"] if stat else None


def check(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


PARTS = ("app", "postgres", "emulator")


def ratio(a, b):
    return a / b if a is not None and b else None


def main():
    out = []
    load_ = load("webhook_load")
    machine = next((r["machine"] for r in map(load, ("webhook_load", "latency", "round_trips"))
                    if r), None)
    if machine:
        out.append(f"Machine: {machine['nproc']} × {machine['model']}, {machine['ram_gib']} GiB RAM, "
                   f"load average at start {', '.join(f'{x:.2f}' for x in machine['loadavg'])}; "
                   f"Python {machine['python']}, Linux {machine['kernel']}. "
                   "Load client (wrk), app, PostgreSQL and emulators share the same cores.\n")
    targets = []
    if load_:
        from bench.webhook_load import render
        out.append("### Webhook load (`cart <pid> ±1`, medians of "
                   f"{load_['settings']['reps']} interleaved runs of {load_['settings']['seconds']} s, "
                   "(min–max))\n")
        out.append(render(load_["figures"]) + "\n")
        out.append("CPU is per event: per reply that reached the emulator (bare: per ack). "
                   "acks/s is wrk's closed loop; processed/s counts replies until the backlog "
                   "drained.\n")
        fig = {(f["system"], f["connections"]): f for f in load_["figures"]}
        for c in load_["settings"]["connections"]:
            app, br = fig.get(("app", c)), fig.get(("bare+reply", c))
            if not (app and br):
                continue
            floor = 0.8 if c < 16 else 1.0
            r = ratio(med(app["processed_per_s"]), med(br["processed_per_s"]))
            targets.append([f"answered events/s ≥ {floor:g}× bare+reply (c={c})", fmt(r, 2) + "×",
                            check(r and r >= floor)])
            cpu = ratio(sum(med(app[f"cpu_{p}"]) for p in PARTS),
                        sum(med(br[f"cpu_{p}"]) for p in PARTS))
            targets.append([f"CPU/event app+PG+emulator ≤ 1.3× bare+reply (c={c})",
                            fmt(cpu, 2) + "×", check(cpu and cpu <= 1.3)])
            pg = ratio(med(app["cpu_postgres"]), med(br["cpu_postgres"]))
            targets.append([f"PostgreSQL CPU/event ≤ 3× bare+reply's (c={c})", fmt(pg, 2) + "×",
                            check(pg and pg <= 3)])
            if c <= 16:
                p99 = ratio(med(app["p99_ms"]), med(br["p99_ms"]))
                targets.append([f"ack p99 ≤ 2× bare+reply (c={c})", fmt(p99, 2) + "×",
                                check(p99 and p99 <= 2)])
    lat = load("latency")
    if lat:
        f = lat["figures"]
        out.append(f"### End-to-end latency, open loop {lat['settings']['rate']:g} events/s "
                   f"(medians of {lat['settings']['reps']} runs of {lat['settings']['seconds']} s)\n")
        out.append(table(["system", "e2e p50 ms", "e2e p90 ms", "e2e p99 ms"],
                         [[s, med(v["e2e_p50_ms"]), med(v["e2e_p90_ms"]), med(v["e2e_p99_ms"])]
                          for s, v in f.items()]) + "\n")
        r = ratio(med(f["app"]["e2e_p50_ms"]), med(f["bare+reply"]["e2e_p50_ms"]))
        targets.append(["e2e p50 ≤ 1.5× bare+reply", fmt(r, 2) + "×", check(r and r <= 1.5)])
    rt = load("round_trips")
    if rt:
        res = rt["results"]
        out.append("### SQL statements per event (PostgreSQL's statement log)\n")
        out.append(table(["event", "statements", "incl. BEGIN/COMMIT", "round trips",
                          "transactions"],
                         [[k, v["statements"], v["with_begin_commit"], v.get("round_trips"),
                           v["transactions"]]
                          for k, v in res.items()]) + "\n")
        co = {v["statements"] for k, v in res.items() if k.startswith("checkout")}
        targets.append(["SQL per checkout independent of lines", ", ".join(map(str, sorted(co))),
                        check(len(co) == 1)])
    con = load("contention")
    if con:
        runs = con["runs"]
        out.append(f"### Contention: N shoppers racing for {con['units']} units\n")
        out.append(table(["shoppers", "orders", "units reserved", "stock left", "orders/s",
                          "checkouts answered/s"],
                         [[r["shoppers"], r["orders"], r["reserved"], r["stock_left"],
                           r["orders_per_s"], r["checkouts_per_s"]] for r in runs]) + "\n")
        targets.append(["zero oversell, exactly 50 reserved at every N", "",
                        check(all(r["exact"] for r in runs))])
        by_n = {r["shoppers"]: r["orders_per_s"] for r in runs}
        if 50 in by_n and 500 in by_n:
            r = ratio(by_n[500], by_n[50])
            targets.append(["orders/s at N=500 ≥ half of N=50", fmt(r and r * 100) + " %",
                            check(r and r >= 0.5)])
    bank = load("slow_bank")
    if bank:
        runs = bank["runs"]
        s = bank["settings"]
        out.append("### Payment postbacks while the bank takes 0 s / 1 s per call\n")
        out.append(table(["bank latency s", f"open loop {s['rate']:g}/s ack p50 ms", "ack p99 ms",
                          f"wrk {s['connections']} conns acks/s", "ack p50 ms", "ack p99 ms"],
                         [[r["bank_latency_s"], r["open_p50_ms"], r["open_p99_ms"], r["ack_per_s"],
                           r["p50_ms"], r["p99_ms"]] for r in runs]) + "\n")
        slow = next(r for r in runs if r["bank_latency_s"] == 1.0)
        targets.append([f"ack p99 with a 1-s bank < 50 ms (open loop {s['rate']:g}/s)",
                        fmt(slow["open_p99_ms"]) + " ms", check(slow["open_p99_ms"] < 50)])
        targets.append([f"ack p99 with a 1-s bank < 50 ms (wrk {s['connections']} conns)",
                        fmt(slow["p99_ms"]) + " ms", check(slow["p99_ms"] < 50)])
    out.append("### Targets\n")
    out.append(table(["target", "measured", "status"], targets))
    text = "\n".join(out) + "\n"
    (RESULTS / "report.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
