"""Money and stock stay right under races, retries, crashes and faults (issue: integrity)."""
import psycopg2

from db import orders as order_sql
from tests.support.messages import all_text, message_text
from tests.support.race import at_once
from tests.support.settings import ACCESS_TOKEN, CHANNEL_SECRET, HASH_KEYS, X_KEY_ID


def fill_carts(shop, users, product_id, quantity=1):
    for user in users:
        shop.sql("INSERT INTO cart_items (user_id, product_id, quantity) VALUES (%s, %s, %s)",
                 (user, product_id, quantity))


def send_all_at_once(shop, users, data):
    return at_once(lambda user: shop.line.webhook.send_postback(user, data).status, users)


def all_done(shop):
    return not shop.sql("SELECT 1 FROM inbox WHERE status = 'pending'")


def test_sixty_shoppers_race_for_ten_units_and_stock_ends_exact(make_shop):
    shop = make_shop(WORKER_THREADS=4)
    shop.add_product(1, "限量鳳梨酥", 300, 10)
    users = [shop.buyer(f"shopper{i}") for i in range(60)]
    fill_carts(shop, users, 1)
    assert send_all_at_once(shop, users, "action=buy") == [200] * 60
    assert shop.wait_until(lambda: all_done(shop), timeout=30)
    assert shop.wait_until(lambda: all(shop.bot_messages(u) for u in users), timeout=10)
    orders = shop.sql("SELECT id, user_id FROM orders ORDER BY id")
    assert len(orders) == 10 and shop.stock(1) == 0
    sold_out = [u for u in users if "售完" in shop.last_text(u)]
    assert len(sold_out) == 50
    # Five pay, five never do: after the deadline their five units come back, exactly.
    for order in orders[:5]:
        shop.pay_with(order["user_id"], order["id"], "atm")
        shop.bank_pays(shop.attempts(order["id"])[0]["order_no"])
    shop.sql("UPDATE orders SET expires_at = now() - interval '1 minute' WHERE status = 'pending'")
    result = shop.app.test_cli_runner().invoke(args=["expire-orders"])
    assert "Expired 5 orders" in result.output
    assert shop.stock(1) == 5
    assert [r["status"] for r in shop.sql("SELECT status FROM orders ORDER BY id")] == \
        ["paid"] * 5 + ["expired"] * 5
    assert "已超過付款期限" in shop.last_text(orders[9]["user_id"])


def test_a_crashed_event_is_retried_and_its_late_reply_becomes_a_push(shop, monkeypatch):
    from services import cart as cart_service
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.buyer()
    real = cart_service.change_quantity
    calls = []

    def crash_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("worker fell over")
        return real(*args, **kwargs)

    monkeypatch.setattr(cart_service, "change_quantity", crash_once)
    replies = shop.text(user, "cart 1 2")
    assert "系統忙碌" in message_text(replies[-1])  # an apology, not silence
    row = shop.sql("SELECT status, attempts, last_error FROM inbox")[0]
    assert row["status"] == "pending" and "worker fell over" in row["last_error"]
    assert shop.sql("SELECT count(*) AS n FROM cart_items")[0]["n"] == 0
    # Two minutes later the retry runs: the reply token is stale, so the answer is pushed.
    shop.sql("""UPDATE inbox SET locked_until = now(),
                event = jsonb_set(event, '{timestamp}',
                                  to_jsonb((extract(epoch FROM now()) * 1000 - 120000)::bigint))""")
    shop.work()
    assert shop.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 2
    last = shop.line.conversation(user)[-1]
    assert last["via"] == "push" and "烏龍茶" in message_text(last["message"])


def test_events_of_a_dead_process_are_picked_up_by_another(make_shop):
    dying = make_shop(WORKER_THREADS=1)
    dying.rt.worker.stop()  # its workers never run: as if the process died after the 200
    dying.add_product(1, "烏龍茶", 100, 10)
    user = dying.buyer()
    assert dying.line.webhook.send_text(user, "cart 1 1").ok
    assert dying.sql("SELECT status FROM inbox")[0]["status"] == "pending"
    survivor = make_shop()
    survivor.work()
    assert survivor.sql("SELECT status FROM inbox")[0]["status"] == "pending"  # still leased
    survivor.sql("UPDATE inbox SET locked_until = now()")  # the 30-second lease runs out
    survivor.work()
    assert survivor.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 1
    assert "烏龍茶" in survivor.last_text(user)


def test_database_connection_dropped_mid_checkout_leaves_no_half_order(shop, monkeypatch):
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.buyer()
    shop.text(user, "cart 1 3")
    real = order_sql.insert_order
    drops = []

    def drop_connection(cur, **kwargs):
        if not drops:
            drops.append(1)
            cur.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return real(cur, **kwargs)

    monkeypatch.setattr(order_sql, "insert_order", drop_connection)
    shop.postback(user, "action=buy")
    assert drops
    assert shop.stock(1) == 10 and shop.sql("SELECT count(*) AS n FROM orders")[0]["n"] == 0
    assert shop.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 3
    shop.sql("UPDATE inbox SET locked_until = now()")
    shop.work()  # the event is retried on a fresh connection
    assert shop.stock(1) == 7 and shop.sql("SELECT count(*) AS n FROM orders")[0]["n"] == 1


def test_failed_push_is_retried_with_the_same_key_and_arrives_once(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    order_no = shop.attempts(order_id)[0]["order_no"]
    shop.line.fail_next, shop.line.fail_mode = 1, "after"  # delivered, but the answer is lost
    before = len(shop.bot_messages(user))
    shop.bank_pays(order_no)
    assert shop.order(order_id)["status"] == "paid"  # the payment is recorded regardless
    pending = shop.sql("SELECT status, attempts FROM outbox WHERE status = 'pending'")
    assert len(pending) == 1
    shop.sql("UPDATE outbox SET locked_until = now()")
    shop.work()  # same X-Line-Retry-Key → LINE answers 409 → counted as sent
    assert shop.sql("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")[0]["n"] == 0
    paid = [m for m in shop.bot_messages(user)[before:] if "已收到訂單" in message_text(m)]
    assert len(paid) == 1


def test_push_refused_by_line_is_delivered_on_retry(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    shop.line.fail_next, shop.line.fail_mode = 2, "before"
    shop.bank_pays(shop.attempts(order_id)[0]["order_no"])
    assert "已收到訂單" not in shop.last_text(user)
    for _ in range(2):
        shop.sql("UPDATE outbox SET locked_until = now()")
        shop.work()
    assert "已收到訂單" in shop.last_text(user)


def test_payment_after_expiry_is_recorded_and_flagged(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=2)
    shop.pay_with(user, order_id, "atm")
    shop.sql("UPDATE orders SET expires_at = now() - interval '1 minute'")
    shop.app.test_cli_runner().invoke(args=["expire-orders"])
    assert shop.stock(1) == 5
    shop.bank_pays(shop.attempts(order_id)[0]["order_no"])
    order = shop.order(order_id)
    assert order["status"] == "expired" and order["flagged"] and "逾期" in order["flag_note"]
    assert shop.attempts(order_id)[0]["status"] == "paid"
    assert "店家會盡快與您聯繫" in shop.last_text(user)


def test_overdue_reservation_is_released_when_someone_wants_the_product(shop):
    shop.add_product(1, "烏龍茶", 450, 2)
    amy, bob = shop.buyer("Amy"), shop.buyer("Bob")
    shop.checkout(amy, p1=2)
    assert "只剩 0 件" in message_text(shop.text(bob, "cart 1 1")[-1])
    shop.sql("UPDATE orders SET expires_at = now() - interval '1 minute'")
    assert "已更新" in message_text(shop.text(bob, "cart 1 1")[0])
    assert shop.stock(1) == 2 and shop.order(1)["status"] == "expired"


def test_lost_notification_is_found_by_sync_payments(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    shop.bank.notify_attempts = 0  # the bank's notification never arrives
    shop.bank.pay(shop.attempts(order_id)[0]["order_no"])
    assert shop.order(order_id)["status"] == "pending"
    result = shop.app.test_cli_runner().invoke(args=["sync-payments"])
    assert "1 newly paid" in result.output
    assert shop.order(order_id)["status"] == "paid" and "已收到訂單" in shop.last_text(user)
    again = shop.app.test_cli_runner().invoke(args=["sync-payments"])
    assert "0 newly paid" in again.output


def test_bank_timeout_while_creating_a_payment_keeps_the_order_payable(make_shop):
    shop = make_shop(HTTP_TIMEOUT=0.3)
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.bank.fail_next, shop.bank.fail_mode, shop.bank.hang_seconds = 3, "timeout", 0.6
    assert "銀行暫時沒有回應" in message_text(shop.pay_with(user, order_id, "atm")[-1])
    assert shop.order(order_id)["status"] == "pending" and shop.stock(1) == 4
    assert "虛擬帳號" in all_text(shop.pay_with(user, order_id, "atm"))


def test_no_secret_reaches_the_logs_over_a_whole_purchase(shop, caplog):
    caplog.set_level("DEBUG")
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    shop.follow(user)
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "card")
    shop.bank_pays(shop.attempts(order_id)[0]["order_no"])
    shop.text(user, "訂單")
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "event=payment_applied" in logged  # the logs were captured
    for secret in (CHANNEL_SECRET, ACCESS_TOKEN, X_KEY_ID, *HASH_KEYS):
        assert secret not in logged
    assert psycopg2  # the database drivers' own logs are included above


def test_one_cart_checked_out_twice_at_once_makes_one_order(shop):
    from services import checkout
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.buyer()
    shop.text(user, "cart 1 3")
    outcomes = at_once(lambda _: checkout.checkout(shop.rt.db, user, hold_minutes=60), range(4))
    placed = [o.order_id for o in outcomes if not isinstance(o, Exception)]
    # EmptyCart for the ones that came second
    assert len(placed) == 1 and [type(o).__name__ for o in outcomes].count("EmptyCart") == 3
    assert shop.sql("SELECT id FROM orders") == [{"id": placed[0]}]
    assert shop.stock(1) == 7
