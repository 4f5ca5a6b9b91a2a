"""Exactly once however slow a worker is, one shopper's events in order, workers that never die
(issue 13, items 1–3)."""
import time
import uuid

import pytest
import requests

from db import inbox
from handlers import line_events
from services import cart as cart_service
from tests.support.messages import all_text


def all_done(shop):
    return not shop.sql("SELECT 1 FROM inbox WHERE status = 'pending'")


def ready_order(shop, user) -> int:
    """A shopper with one 烏龍茶 ordered (cart emptied), waiting to pay."""
    shop.line.webhook.send_text(user, "cart 1 1")
    assert shop.wait_until(lambda: "烏龍茶" in all_text(shop.bot_messages(user)))
    shop.line.webhook.send_postback(user, "action=buy")
    assert shop.wait_until(lambda: shop.sql("SELECT 1 FROM orders") and all_done(shop))
    return shop.sql("SELECT id FROM orders WHERE user_id = %s", (user,))[0]["id"]


def count_calls(monkeypatch, obj, name) -> list:
    """Spy on a real call (it still runs); returns the list of calls."""
    real, calls = getattr(obj, name), []

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, spy)
    return calls


def text_event(user_id: str, text: str, timestamp: int) -> dict:
    """A text event as LINE sends it, without a reply token (answered by push)."""
    return {"type": "message", "mode": "active", "timestamp": timestamp,
            "source": {"type": "user", "userId": user_id}, "webhookEventId": uuid.uuid4().hex,
            "deliveryContext": {"isRedelivery": False},
            "message": {"id": uuid.uuid4().hex[:12], "type": "text", "text": text,
                        "quoteToken": uuid.uuid4().hex}}


def test_a_bank_slower_than_the_lease_pays_once_and_the_next_event_applies_once(
        make_shop, monkeypatch):
    shop = make_shop(WORKER_THREADS=1, INBOX_LEASE_SECONDS=2, HTTP_TIMEOUT=10)
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = ready_order(shop, user)
    creates = count_calls(monkeypatch, shop.rt.bank, "order_create")
    shop.bank.latency = 2.5  # Nonce + Order: 5 s, more than twice the 2-s lease
    assert shop.line.webhook.send_postback(user, f"action=pay&order={order_id}&method=atm").ok
    assert shop.wait_until(lambda: shop.attempts(order_id))  # the bank call is under way
    assert shop.line.webhook.send_text(user, "cart 1 +1").ok
    assert shop.wait_until(lambda: all_done(shop) and "× 1" in all_text(shop.bot_messages(user)),
                           timeout=30)
    said = all_text(shop.bot_messages(user))
    assert shop.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 1
    assert len(creates) == 1 and len(shop.bank.orders) == 1
    assert said.count("虛擬帳號") == 1
    assert "銀行無法建立付款" not in said and "銀行暫時沒有回應" not in said
    assert [a["status"] for a in shop.attempts(order_id)] == ["open"]


def test_work_of_a_worker_that_lost_its_lease_is_rolled_back(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.buyer()
    raw = text_event(user, "cart 1 2", int(time.time() * 1000))
    with shop.rt.db.transaction() as cur:
        [stale] = inbox.store_events(cur, [raw], leased=True, lease_seconds=30)
    shop.sql("UPDATE inbox SET locked_until = now()")  # the slow holder's lease ran out
    with shop.rt.db.transaction() as cur:
        [fresh] = inbox.claim_events(cur, lease_seconds=30)
    try:
        line_events.handle(shop.rt, raw, None, stale["lease_token"])
        raise AssertionError("the stale holder's work was committed")
    except inbox.LeaseLost:
        pass
    assert shop.sql("SELECT count(*) AS n FROM cart_items")[0]["n"] == 0
    assert shop.sql("SELECT count(*) AS n FROM outbox")[0]["n"] == 0
    assert shop.sql("SELECT status FROM inbox")[0]["status"] == "pending"
    line_events.handle(shop.rt, raw, None, fresh["lease_token"])
    assert shop.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 2
    # Done is done: even the current holder can't apply it again.
    try:
        line_events.handle(shop.rt, raw, None, fresh["lease_token"])
        raise AssertionError("a done event was applied again")
    except inbox.LeaseLost:
        pass
    assert shop.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 2
    assert shop.sql("SELECT count(*) AS n FROM outbox")[0]["n"] == 1


def test_a_stale_holder_never_calls_the_bank(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    raw = text_event(user, "x", int(time.time() * 1000))
    raw.update(type="postback", postback={"data": f"action=pay&order={order_id}&method=atm"})
    del raw["message"]
    with shop.rt.db.transaction() as cur:
        [stale] = inbox.store_events(cur, [raw], leased=True, lease_seconds=30)
    shop.sql("UPDATE inbox SET locked_until = now()")
    shop.work()  # another worker takes the event over and pays it
    try:
        line_events.handle(shop.rt, raw, None, stale["lease_token"])
        raise AssertionError("the stale holder went on")
    except inbox.LeaseLost:
        pass
    assert len(shop.bank.orders) == 1 and len(shop.attempts(order_id)) == 1


def test_one_shoppers_events_apply_in_the_order_line_sent_them(make_shop):
    shop = make_shop(WORKER_THREADS=4)
    shop.add_product(1, "烏龍茶", 100, 50)
    first, second = shop.buyer("小明"), shop.buyer("小華")
    now = int(time.time() * 1000)
    # One delivery, each shopper's events out of order: the timestamps decide.
    events = [text_event(first, f"cart 1 {n}", now + n) for n in range(1, 9)]
    events += [text_event(second, f"cart 1 {n}", now + 20 - n) for n in range(1, 9)]
    events.reverse()
    assert shop.line.webhook.post_events(events).ok
    assert shop.wait_until(lambda: all_done(shop), timeout=20)
    quantities = {row["user_id"]: row["quantity"]
                  for row in shop.sql("SELECT user_id, quantity FROM cart_items")}
    assert quantities == {first: 8, second: 1}
    for user in (first, second):
        worked = [row["event_ts"] - now for row in shop.sql(
            "SELECT event_ts FROM inbox WHERE user_id = %s ORDER BY processed_at", (user,))]
        assert worked == sorted(worked)
    assert shop.wait_until(lambda: "× 8" in shop.last_text(first) and "× 1" in shop.last_text(second))


def test_a_shoppers_next_event_waits_for_the_slow_one_while_others_are_served(make_shop):
    shop = make_shop(WORKER_THREADS=2, HTTP_TIMEOUT=10)
    shop.add_product(1, "烏龍茶", 450, 5)
    payer, other = shop.buyer("小明"), shop.buyer("小華")
    order_id = ready_order(shop, payer)
    before = len(shop.bot_messages(payer))
    shop.bank.latency = 1.5
    assert shop.line.webhook.send_postback(payer, f"action=pay&order={order_id}&method=atm").ok
    assert shop.wait_until(lambda: shop.attempts(order_id))
    assert shop.line.webhook.send_text(payer, "cart 1 +1").ok
    assert shop.line.webhook.send_text(other, "help").ok
    # The other shopper is answered while the bank still works on the payment…
    assert shop.wait_until(lambda: shop.bot_messages(other), timeout=2)
    assert "虛擬帳號" not in all_text(shop.bot_messages(payer))
    # …and the payer's cart change comes after the payment instructions, not beside them.
    # Both answers delivered (the payment instructions and the cart), whatever their order.
    def both_answered():
        said = all_text(shop.bot_messages(payer)[before:])
        return all_done(shop) and "虛擬帳號" in said and "× 1" in said
    assert shop.wait_until(both_answered, timeout=15)
    said = all_text(shop.bot_messages(payer)[before:])
    assert said.index("虛擬帳號") < said.rindex("× 1")


def test_a_database_blip_during_an_event_leaves_the_workers_running(make_shop, monkeypatch):
    shop = make_shop(WORKER_THREADS=1)
    shop.add_product(1, "烏龍茶", 100, 10)
    user, other = shop.buyer(), shop.buyer("小華")
    real_change, real_failed, blips = cart_service.change_quantity, inbox.mark_failed, []

    def blip(db, *args, **kwargs):
        if not blips:
            blips.append("event")
            with db.transaction() as cur:  # every connection to the database drops at once
                cur.execute("""SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                               WHERE datname = current_database() AND pid <> pg_backend_pid()""")
                cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return real_change(db, *args, **kwargs)

    def still_down(cur, *args, **kwargs):
        if len(blips) == 1:
            blips.append("recording the failure")
            cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return real_failed(cur, *args, **kwargs)

    monkeypatch.setattr(cart_service, "change_quantity", blip)
    monkeypatch.setattr(inbox, "mark_failed", still_down)
    assert shop.line.webhook.send_text(user, "cart 1 2").ok
    assert shop.wait_until(lambda: len(blips) == 2, timeout=5)
    started = time.monotonic()
    assert shop.line.webhook.send_text(other, "help").ok
    assert shop.wait_until(lambda: shop.bot_messages(other), timeout=5)
    assert time.monotonic() - started < 5
    assert requests.get(f"{shop.url}/healthz", timeout=5).json() == {"status": "ok"}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_healthz_is_unhealthy_when_a_worker_thread_is_dead(make_shop, monkeypatch):
    shop = make_shop(WORKER_THREADS=2)
    assert requests.get(f"{shop.url}/healthz", timeout=5).json() == {"status": "ok"}

    def die():
        raise SystemExit  # what no Exception handler catches

    monkeypatch.setattr(shop.rt.worker, "_take_and_work", die)
    assert shop.wait_until(lambda: requests.get(f"{shop.url}/healthz", timeout=5).status_code
                           == 503, timeout=5)
    answer = requests.get(f"{shop.url}/healthz", timeout=5).json()
    assert answer["status"] == "workers not running" and "inbox-0" in answer["threads"]
