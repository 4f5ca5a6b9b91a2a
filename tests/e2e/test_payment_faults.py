"""Payments when the bank is slow, answers twice or says something odd (issue 13)."""
import threading
import time

import psycopg2
import requests
import pytest

from models.records import PaymentResult
from services import payments
from tests.support.messages import all_text
from tests.support.settings import SHOP_NO


def atm_order(shop, user, price=450):
    """An order paid by ATM; returns (order id, OrderNo)."""
    shop.add_product(1, "烏龍茶", price, 5)
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    return order_id, shop.attempts(order_id)[0]["order_no"]


def notify(shop, pay_token: str):
    """The bank's notice for `pay_token`, as the bank sends it; worked off like the bank's."""
    response = shop.app.test_client().post(
        "/sinopac/notify", json={"ShopNo": SHOP_NO, "PayToken": pay_token})
    shop.work()
    return response


def test_a_replayed_notice_of_the_wrong_amount_flags_the_order_once(shop):
    user = shop.buyer()
    order_id, order_no = atm_order(shop, user)
    shop.bank.find_order(order_no).message["Amount"] = 100  # the bank saw NT$1, not NT$450
    shop.bank_pays(order_no)
    token = shop.bank.latest_payment(order_no).pay_token
    for _ in range(3):
        assert notify(shop, token).get_json() == {"Status": "S"}
    order = shop.order(order_id)
    assert order["status"] == "pending" and order["flagged"]
    assert order["flag_note"].count("金額不符") == 1


def test_applying_a_result_locks_the_order_before_the_attempt(shop):
    user = shop.buyer()
    order_id, order_no = atm_order(shop, user)
    with psycopg2.connect(shop.rt.db.url) as holder, holder.cursor() as cur:
        cur.execute("SELECT 1 FROM orders WHERE id = %s FOR UPDATE", (order_id,))
        applying = threading.Thread(target=payments.apply_payment_result, args=(
            shop.rt.db, PaymentResult(order_no=order_no, paid=True, amount=450)))
        applying.start()
        assert shop.wait_until(lambda: shop.sql(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))
        # Waiting on the order, it holds no lock on the attempt (expiry takes them in this order).
        with psycopg2.connect(shop.rt.db.url) as other, other.cursor() as probe:
            probe.execute("SELECT 1 FROM payment_attempts WHERE order_no = %s FOR UPDATE NOWAIT",
                          (order_no,))
        other.close()
    holder.close()
    applying.join(5)
    assert shop.order(order_id)["status"] == "paid"


def test_choosing_card_after_atm_keeps_the_hold_until_the_atm_deadline(make_shop):
    shop = make_shop(CARD_HOLD_MINUTES=0)  # the card attempt's own hold ends at once
    user = shop.buyer()
    order_id, atm_order_no = atm_order(shop, user)
    atm_deadline = shop.order(order_id)["expires_at"]
    shop.pay_with(user, order_id, "card")
    assert shop.order(order_id)["expires_at"] == atm_deadline
    assert shop.app.test_cli_runner().invoke(args=["expire-orders"]).exit_code == 0
    assert shop.order(order_id)["status"] == "pending" and shop.stock(1) == 4
    shop.bank_pays(atm_order_no)  # the shopper transfers to the ATM account in time
    assert shop.order(order_id)["status"] == "paid" and shop.stock(1) == 4


def test_sync_payments_reaches_todays_payment_behind_hundreds_of_old_attempts(shop):
    old = shop.sql("""INSERT INTO orders (user_id, status, subtotal, total, expires_at, created_at)
                      VALUES ('Uold', 'cancelled', 100, 100, now(), now() - interval '2 days')
                      RETURNING id""")[0]["id"]
    shop.sql("""INSERT INTO payment_attempts (order_no, order_id, pay_type, amount, status,
                                              created_at)
                SELECT 'OLD' || n, %s, 'A', 100, CASE WHEN n %% 10 = 0 THEN 'failed' ELSE 'void' END,
                       now() - interval '1 day'
                FROM generate_series(1, 320) AS n RETURNING id""", (old,))
    user = shop.buyer()
    order_id, order_no = atm_order(shop, user)
    shop.bank.pay(order_no, notify=False)  # paid at the bank; its notice never reached us
    result = shop.app.test_cli_runner().invoke(args=["sync-payments"])
    assert "1 newly paid" in result.output
    assert shop.order(order_id)["status"] == "paid"
    assert "已收到" in shop.last_text(user)


@pytest.mark.parametrize("fail_mode", ["lost", "late"])
def test_a_payment_whose_bank_answer_was_lost_carries_on_with_the_bank_order(make_shop,
                                                                              fail_mode):
    shop = make_shop(HTTP_TIMEOUT=1)
    user = shop.buyer()
    shop.add_product(1, "烏龍茶", 450, 5)
    order_id = shop.checkout(user, p1=1)
    # The bank makes the order, then its answer is lost (HTTP 500) or comes too late.
    shop.bank.fail_next, shop.bank.fail_mode, shop.bank.hang_seconds = 1, fail_mode, 1.5
    replies = all_text(shop.pay_with(user, order_id, "atm"))
    [bank_order] = shop.bank.order_list()
    assert "虛擬帳號" in replies and bank_order["AtmPayNo"] in replies
    assert "銀行暫時沒有回應" not in replies and "銀行無法建立付款" not in replies
    assert [(a["status"], a["ts_no"]) for a in shop.attempts(order_id)] == \
        [("open", bank_order["TSNo"])]
    shop.bank_pays(bank_order["OrderNo"])
    assert shop.order(order_id)["status"] == "paid"


def test_a_bank_that_never_answers_shows_loading_and_says_try_again_within_12_s(make_shop):
    shop = make_shop(HTTP_TIMEOUT=10)  # the production default
    user = shop.buyer()
    shop.add_product(1, "烏龍茶", 450, 5)
    order_id = shop.checkout(user, p1=1)
    shop.bank.fail_next, shop.bank.fail_mode, shop.bank.hang_seconds = 10, "late", 30
    started = time.monotonic()
    replies = shop.pay_with(user, order_id, "atm")
    elapsed = time.monotonic() - started
    assert "銀行暫時沒有回應" in all_text(replies) and elapsed < 12, elapsed
    assert [(entry["chatId"], entry["loadingSeconds"] >= 10)
            for entry in shop.line.loading_started] == [(user, True)]
    # The bank did make the order; once paid there, the scheduled sync settles it.
    [attempt] = shop.attempts(order_id)
    shop.bank.fail_next = 0
    shop.bank.pay(attempt["order_no"], notify=False)
    assert "1 newly paid" in shop.app.test_cli_runner().invoke(args=["sync-payments"]).output
    assert shop.order(order_id)["status"] == "paid"


def bank_calls(shop) -> int:
    return sum(shop.bank.calls.values())


@pytest.mark.parametrize("pay_token", ["A" * 64, "a" * 63, "a" * 65, "g" * 64, "a" * 64 + "\n",
                                       12345, None, ["a" * 64]])
def test_a_pay_token_not_of_the_banks_form_is_refused_without_asking_the_bank(shop, pay_token):
    client = shop.app.test_client()
    response = client.post("/sinopac/notify", json={"ShopNo": SHOP_NO, "PayToken": pay_token})
    assert response.status_code == 400 and response.get_json()["Status"] == "F"
    page = client.get("/sinopac/return", query_string={"ShopNo": SHOP_NO,
                                                       "PayToken": str(pay_token)})
    assert "尚未完成付款" in page.get_data(as_text=True)
    shop.work()
    assert bank_calls(shop) == 0 and shop.sql("SELECT * FROM bank_notices") == []


def test_the_bank_hears_back_at_once_while_the_bank_is_slow_and_line_hangs(make_shop):
    shop = make_shop(WORKER_THREADS=2, HTTP_TIMEOUT=10)
    user = shop.buyer()
    shop.add_product(1, "烏龍茶", 450, 5)
    shop.line.webhook.send_text(user, "cart 1 1")
    assert shop.wait_until(lambda: shop.bot_messages(user))
    shop.line.webhook.send_postback(user, "action=buy")
    assert shop.wait_until(lambda: shop.sql("SELECT 1 FROM orders"))
    shop.line.webhook.send_postback(user, "action=pay&order=1&method=atm")
    assert shop.wait_until(lambda: shop.sql("SELECT 1 FROM payment_attempts WHERE status = 'open'"))
    order_no = shop.attempts(1)[0]["order_no"]
    token = shop.bank.pay(order_no, notify=False).pay_token
    shop.bank.latency = 3.0  # each bank call now takes 6 s (nonce + order)
    shop.line.fail_next, shop.line.fail_mode, shop.line.hang_seconds = 2, "hang", 5.0
    started = time.monotonic()
    for _ in range(2):  # the bank sends it twice
        answer = requests.post(f"{shop.url}/sinopac/notify", timeout=5,
                               json={"ShopNo": SHOP_NO, "PayToken": token})
        assert answer.json() == {"Status": "S"}
    assert time.monotonic() - started < 1.0
    assert shop.wait_until(lambda: shop.order(1)["status"] == "paid", timeout=15)
    assert shop.bank.calls["OrderPayQuery"] == 1
    assert shop.wait_until(lambda: "已收到訂單" in all_text(shop.bot_messages(user)), timeout=20)
    paid_notices = [m for m in shop.bot_messages(user) if "已收到訂單" in all_text([m])]
    assert len(paid_notices) == 1


def test_return_pages_wait_on_the_bank_two_at_a_time_and_others_hear_we_are_confirming(shop):
    shop.bank.latency = 1.5
    pages = []

    def visit(n):
        page = shop.app.test_client().get("/sinopac/return", query_string={
            "ShopNo": SHOP_NO, "PayToken": f"{n:064x}"})
        pages.append(page.get_data(as_text=True))

    visitors = [threading.Thread(target=visit, args=(n,)) for n in range(6)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join(15)
    assert sum("正在確認您的付款" in page for page in pages) >= 4
    assert shop.bank.calls.get("OrderPayQuery", 0) <= 2
