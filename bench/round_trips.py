"""SQL statements per event, counted by PostgreSQL itself (log_statement = 'all').

`python -m bench.round_trips`: one `cart` text event, then checkouts (postback action=buy) of
carts holding 1, 10 and 50 lines. pgserver's PostgreSQL ships no pg_stat_statements, so the
bench turns on the statement log of its own server and reads it back. BEGIN and COMMIT are
counted separately: each is a round trip of its own with psycopg2. The inbox workers' idle
polls (claims with no ids) run on their own timer and are left out. A prepared statement's
`EXECUTE` counts as the statement it runs (its PREPARE, once per connection, not at all);
several sent in one message count each, and once as a round trip.
"""
import re
import time

from bench.client import post
from bench.common import postback_event, table, text_event, user_id, write_result
from bench.stack import Stack

LINE = re.compile(r"^@@(\d+)@@ .*?LOG:  statement: (.*)$")
# The workers' timer claims of expired leases: on the hot path fresh rows are never claimed
# (a shopper's next event is, but each shopper here sends one at a time).
POLL = ("pg_try_advisory_xact_lock", "UPDATE outbox SET locked_until",
        "UPDATE bank_notices SET locked_until")
PREPARE = re.compile(r"PREPARE (\w+) AS (.*)", re.S)
EXECUTE = re.compile(r"EXECUTE (\w+)")


def statements(log: str) -> list[tuple[str, str]]:
    """(backend pid, statement) in log order; continuation lines joined (a DETAIL's dropped)."""
    found, joining = [], False
    for line in log.splitlines():
        match = LINE.match(line)
        if match:
            found.append([match.group(1), match.group(2)])
        joining = bool(match) or (joining and not line.startswith("@@"))
        if joining and not match:
            found[-1][1] += "\n" + line
    return [(pid, sql) for pid, sql in found]


def transactions(found: list[tuple[str, str]]) -> list[list[str]]:
    """Group each backend's statements from BEGIN to COMMIT/ROLLBACK (or a lone statement)."""
    open_tx: dict[str, list[str]] = {}
    done = []
    for pid, sql in found:
        word = sql.strip().split()[0].upper()
        if word == "BEGIN":
            open_tx[pid] = [sql]
        elif pid in open_tx:
            open_tx[pid].append(sql)
            if word in ("COMMIT", "ROLLBACK"):
                done.append(open_tx.pop(pid))
        else:
            done.append([sql])
    return done + list(open_tx.values())


def resolve(found: list[tuple[str, str]], prepared: dict[str, str]) -> list[tuple[str, str]]:
    """Each message's statements: EXECUTEs as the statements they run, PREPAREs dropped."""
    out = []
    for pid, sql in found:
        match = PREPARE.match(sql.strip())
        if match:
            prepared[match.group(1)] = match.group(2)
            continue
        names = EXECUTE.findall(sql) if sql.strip().startswith("EXECUTE") else []
        out.append((pid, [prepared.get(name, sql) for name in names] or [sql]))
    return out


def count(stack: Stack, send, replies: int) -> dict:
    """Statements PostgreSQL ran while `send()` was worked off to `replies` replies."""
    log_path = stack.dir / "pgdata" / "log"
    offset = log_path.stat().st_size
    before = stack.replies()["count"]
    send()
    stack.wait_replies(before + replies)
    time.sleep(0.3)  # let the last statements reach the log
    data = log_path.read_bytes()  # the offset is in bytes (the log holds UTF-8 names)
    prepared: dict[str, str] = {}
    resolve(statements(data[:offset].decode(errors="replace")), prepared)  # prepared before
    messages = resolve(statements(data[offset:].decode(errors="replace")), prepared)
    work = [tx for tx in transactions([(pid, "\n;\n".join(sqls)) for pid, sqls in messages])
            if not any(mark in sql for sql in tx for mark in POLL)]
    flat = [sql for tx in work for message in tx for sql in message.split("\n;\n")]
    control = [s for s in flat if s.strip().split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK")]
    return {"statements": len(flat) - len(control), "with_begin_commit": len(flat),
            "round_trips": sum(len(tx) for tx in work), "transactions": len(work),
            "sql": [" ".join(s.split())[:90] for s in flat]}


def main(argv=None):
    stack = Stack().start()
    try:
        stack.sql("ALTER SYSTEM SET log_statement = 'all'")
        stack.sql("ALTER SYSTEM SET log_line_prefix = '@@%p@@ '")
        stack.sql("SELECT pg_reload_conf()")
        url = stack.start_system("app")
        stack.reset()
        stack.add_products(60, 10**6)
        results = {}
        uid = user_id(0, f"rt-{time.time()}")
        results["cart (new line)"] = count(stack, lambda: post(url, text_event(uid, "cart 1 +1")), 1)
        results["cart (existing line)"] = count(
            stack, lambda: post(url, text_event(uid, "cart 1 +1")), 1)
        for lines in (1, 10, 50):
            shopper = user_id(lines, f"rt-co-{time.time()}")
            stack.give_delivery_details([shopper])
            before = stack.replies()["count"]
            for product in range(1, lines + 1):
                post(url, text_event(shopper, f"cart {product} +1"))
            stack.wait_replies(before + lines)
            time.sleep(0.5)
            results[f"checkout, {lines} lines"] = count(
                stack, lambda: post(url, postback_event(shopper, "action=buy")), 1)
    finally:
        stack.stop()
    path = write_result("round_trips", {"results": results})
    rows = [[name, r["statements"], r["with_begin_commit"], r["round_trips"], r["transactions"]]
            for name, r in results.items()]
    print(table(["event", "SQL statements", "incl. BEGIN/COMMIT", "round trips", "transactions"],
                rows))
    for name, r in results.items():
        print(f"\n{name}:\n  " + "\n  ".join(r["sql"]))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
