"""Contention: N shoppers race for 50 units; every one adds 1 then checks out (action=buy).

`python -m bench.contention [--shoppers 50 200 500]`. Reports orders/s (50 orders over the time
from the first buy sent to the last order committed, PostgreSQL's clock), checkouts answered
per second, and checks that exactly 50 units were reserved (no oversell, none lost).
"""
import argparse
import time

from bench.client import burst
from bench.common import postback_event, table, text_event, user_id, write_result
from bench.stack import Stack

UNITS = 50


def one_run(stack: Stack, shoppers: int) -> dict:
    stack.reset()
    stack.add_products(1, UNITS)
    tag = f"race-{shoppers}-{time.time()}"
    uids = [user_id(n, tag) for n in range(shoppers)]
    stack.give_delivery_details(uids)
    burst(stack.url, [text_event(u, "cart 1 +1") for u in uids])
    stack.wait_replies(shoppers)
    buys = [postback_event(u, "action=buy") for u in uids]
    started = stack.sql("SELECT extract(epoch FROM clock_timestamp())")[0][0]
    acks = burst(stack.url, buys, concurrency=64)
    replies = stack.wait_replies(2 * shoppers)
    orders, reserved, first, last = stack.sql(
        "SELECT count(DISTINCT o.id), coalesce(sum(i.quantity), 0), "
        "extract(epoch FROM min(o.created_at)), extract(epoch FROM max(o.created_at)) "
        "FROM orders o JOIN order_items i ON i.order_id = o.id")[0]
    stock = stack.sql("SELECT stock FROM products WHERE id = 1")[0][0]
    elapsed = float(last) - float(started) if last else None
    answered = (replies["last"] - float(started)) if replies["last"] else None
    return {"shoppers": shoppers, "orders": orders, "reserved": int(reserved), "stock_left": stock,
            "oversold": int(reserved) > UNITS or stock < 0,
            "exact": int(reserved) == UNITS and stock == 0,
            "orders_per_s": orders / elapsed if elapsed else None,
            "checkouts_per_s": shoppers / answered if answered else None,
            "buy_acks_non_200": sum(1 for a in acks if a[2] != 200),
            "replies": replies["count"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shoppers", type=int, nargs="+", default=[50, 200, 500])
    args = parser.parse_args(argv)
    stack = Stack().start()
    runs = []
    try:
        stack.start_system("app")
        for n in args.shoppers:
            runs.append(one_run(stack, n))
            print(runs[-1], flush=True)
    finally:
        stack.stop()
    path = write_result("contention", {"units": UNITS, "runs": runs})
    print(table(["shoppers", "orders", "units reserved", "stock left", "exactly 50",
                 "orders/s", "checkouts answered/s"],
                [[r["shoppers"], r["orders"], r["reserved"], r["stock_left"], r["exact"],
                  r["orders_per_s"], r["checkouts_per_s"]] for r in runs]))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
