"""Paying with LINE Pay: request → approve on the emulator's page → our confirm URL, on real
PostgreSQL with the LINE and LINE Pay emulators on loopback (issue 16)."""
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.settings import LINEPAY_SECRET, linepay_settings
from tests.support.messages import actions, all_text


@pytest.fixture
def shop(make_shop, linepay):
    """The bot offering LINE Pay; `shop.linepay` is the emulator's state."""
    shop = make_shop(**linepay_settings(linepay))
    shop.linepay = linepay
    return shop


def linepay_order(shop, user, quantity=2) -> tuple[int, dict, str]:
    """Order `quantity` × NT$450 tea and choose LINE Pay: (order id, attempt row, button URL)."""
    if not shop.sql("SELECT 1 FROM products WHERE id = 1"):
        shop.add_product(1, "烏龍茶", 450, 10)
    order_id = shop.checkout(user, p1=quantity)
    replies = shop.pay_with(user, order_id, "linepay")
    uris = [a["uri"] for m in replies for a in actions(m) if a["type"] == "uri"]
    attempt = shop.attempts(order_id)[-1]
    assert uris == [attempt["pay_url"]], all_text(replies)
    return order_id, attempt, uris[0]


def shopper_answers(shop, payment_url: str, action: str = "approve") -> str:
    """The shopper taps approve (or cancel) on LINE Pay's page; returns where it sends them."""
    reserve_id = parse_qs(urlsplit(payment_url).query)["transactionReserveId"][0]
    assert requests.get(payment_url, timeout=5).status_code == 200
    answer = requests.post(f"{shop.linepay.url}/web/payment/{reserve_id}",
                           data={"action": action}, allow_redirects=False, timeout=5)
    assert answer.status_code == 303
    return answer.headers["Location"]


def emulated(shop, attempt) -> dict:
    return next(t for t in shop.linepay.transaction_list() if t["orderId"] == attempt["order_no"])


def paid_messages(shop, user) -> int:
    return sum("已收到訂單" in all_text([m]) for m in shop.bot_messages(user))


def sync_payments(shop) -> str:
    result = shop.app.test_cli_runner().invoke(args=["sync-payments"])
    assert result.exit_code == 0, result.output
    return result.output


def test_request_approve_confirm_marks_the_order_paid_once(shop):
    user = shop.buyer()
    shop.follow(user)  # the follower coupon: NT$50 off
    order_id, attempt, payment_url = linepay_order(shop, user)
    order = shop.order(order_id)
    assert (order["subtotal"], order["discount"], order["total"]) == (900, 50, 850)
    request = shop.linepay.transactions[int(attempt["ts_no"])].body
    assert request["amount"] == 850 and request["orderId"] == attempt["order_no"]
    assert sum(p["amount"] for p in request["packages"]) == 850
    assert request["redirectUrls"]["confirmUrl"] == f"{shop.url}/linepay/confirm"
    confirm_url = shopper_answers(shop, payment_url)
    assert confirm_url.startswith(f"{shop.url}/linepay/confirm?")
    page = requests.get(confirm_url, timeout=10)
    assert page.status_code == 200 and 'data-paid="yes"' in page.text
    assert shop.order(order_id)["status"] == "paid"
    assert shop.attempts(order_id)[-1]["status"] == "paid"
    assert emulated(shop, attempt)["state"] == "CONFIRMED"
    assert "NT$850" in shop.last_text(user) and paid_messages(shop, user) == 1
    # The browser's back button or a reload: the same page, nothing paid twice.
    again = requests.get(confirm_url, timeout=10)
    assert again.status_code == 200 and 'data-paid="yes"' in again.text
    assert paid_messages(shop, user) == 1


def test_the_confirm_url_opened_twice_at_once_pays_once(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    confirm_url = shopper_answers(shop, payment_url)
    barrier, pages = threading.Barrier(2), []

    def open_page():
        barrier.wait()
        pages.append(requests.get(confirm_url, timeout=20).status_code)

    threads = [threading.Thread(target=open_page) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pages == [200, 200]
    assert shop.order(order_id)["status"] == "paid" and paid_messages(shop, user) == 1
    assert not shop.order(order_id)["flagged"]  # no "paid twice" note for the owner


def test_sync_payments_racing_the_confirm_url_pays_once(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    confirm_url = shopper_answers(shop, payment_url)
    barrier = threading.Barrier(2)
    page = []

    def open_page():
        barrier.wait()
        page.append(requests.get(confirm_url, timeout=20).status_code)

    browser = threading.Thread(target=open_page)
    browser.start()
    barrier.wait()
    sync_payments(shop)
    browser.join()
    assert page == [200]
    assert shop.order(order_id)["status"] == "paid" and paid_messages(shop, user) == 1
    assert not shop.order(order_id)["flagged"]  # no "paid twice" note for the owner
    assert sum(a["status"] == "paid" for a in shop.attempts(order_id)) == 1


def test_a_forged_confirm_url_with_someone_elses_transaction_changes_nothing(shop):
    mine, theirs = shop.buyer("小明"), shop.buyer("小華")
    my_order, my_attempt, _ = linepay_order(shop, mine)
    their_order, their_attempt, their_url = linepay_order(shop, theirs)
    real = urlsplit(shopper_answers(shop, their_url))
    forged = f"{shop.url}/linepay/confirm?transactionId={their_attempt['ts_no']}" \
             f"&orderId={my_attempt['order_no']}"
    assert requests.get(forged, timeout=10).status_code == 404
    for query in ("transactionId=12.5&orderId=x", "orderId=" + my_attempt["order_no"], ""):
        assert requests.get(f"{shop.url}/linepay/confirm?{query}", timeout=10).status_code == 400
    assert shop.order(my_order)["status"] == "pending"
    assert shop.order(their_order)["status"] == "pending"
    assert emulated(shop, their_attempt)["state"] == "AUTHORIZED"  # nobody confirmed it
    assert paid_messages(shop, mine) == paid_messages(shop, theirs) == 0
    # Their own, real confirm URL still works.
    assert requests.get(f"{shop.url}{real.path}?{real.query}", timeout=10).status_code == 200
    assert shop.order(their_order)["status"] == "paid"


def test_a_confirm_whose_amount_differs_is_refused_and_the_order_stays_unpaid(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    # Our attempt now holds another amount than LINE Pay was asked for: it answers 1153.
    shop.sql("UPDATE payment_attempts SET amount = amount - 1 WHERE id = %s", (attempt["id"],))
    page = requests.get(shopper_answers(shop, payment_url), timeout=10)
    assert page.status_code == 200 and 'data-paid="no"' in page.text
    assert shop.order(order_id)["status"] == "pending"
    assert shop.attempts(order_id)[-1]["status"] == "failed"
    assert emulated(shop, attempt)["state"] == "AUTHORIZED"
    assert "付款未成功" in shop.last_text(user) and "LINE Pay 1153" in shop.last_text(user)
    assert paid_messages(shop, user) == 0


def test_cancel_on_the_linepay_page_keeps_the_order_payable(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    cancel_url = shopper_answers(shop, payment_url, "cancel")
    assert cancel_url == f"{shop.url}/linepay/cancel?orderId={attempt['order_no']}"
    page = requests.get(cancel_url, timeout=10)
    assert page.status_code == 200 and "已取消付款" in page.text
    assert shop.order(order_id)["status"] == "pending"
    assert shop.attempts(order_id)[-1]["status"] == "void"
    assert requests.get(f"{shop.url}/linepay/cancel?orderId=nope", timeout=10).status_code == 404
    shop.pay_with(user, order_id, "atm")  # still payable, by any method
    atm = shop.attempts(order_id)[-1]
    shop.bank_pays(atm["order_no"])
    assert shop.order(order_id)["status"] == "paid"


def test_a_lost_confirm_answer_is_found_by_sync_payments(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    shop.linepay.drop_confirm_answers = 1  # LINE Pay confirms, our call hears HTTP 500
    page = requests.get(shopper_answers(shop, payment_url), timeout=10)
    assert page.status_code == 200 and "正在確認" in page.text
    assert emulated(shop, attempt)["state"] == "CONFIRMED"
    assert shop.order(order_id)["status"] == "pending" and paid_messages(shop, user) == 0
    assert "1 newly paid" in sync_payments(shop)
    assert shop.order(order_id)["status"] == "paid" and paid_messages(shop, user) == 1
    assert "0 newly paid" in sync_payments(shop)
    assert paid_messages(shop, user) == 1


def test_reloading_the_confirm_page_after_a_lost_answer_pays_once(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    shop.linepay.drop_confirm_answers = 1
    confirm_url = shopper_answers(shop, payment_url)
    assert "正在確認" in requests.get(confirm_url, timeout=10).text
    # LINE Pay says it was confirmed already (1152): check says paid (0123).
    page = requests.get(confirm_url, timeout=10)
    assert 'data-paid="yes"' in page.text
    assert shop.order(order_id)["status"] == "paid" and paid_messages(shop, user) == 1


def test_sync_payments_confirms_an_approval_whose_shopper_never_came_back(shop):
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    shopper_answers(shop, payment_url)  # approved, but the browser never opens our URL
    assert "1 newly paid" in sync_payments(shop)
    assert shop.order(order_id)["status"] == "paid" and paid_messages(shop, user) == 1


def test_sync_payments_voids_a_linepay_payment_that_failed(shop):
    user = shop.buyer()
    order_id, attempt, _ = linepay_order(shop, user)
    assert requests.post(f"{shop.linepay.url}/_emulator/transactions/{attempt['ts_no']}/fail",
                         timeout=5).status_code == 204
    sync_payments(shop)
    assert shop.attempts(order_id)[-1]["status"] == "void"
    assert shop.order(order_id)["status"] == "pending"


@pytest.mark.parametrize("ids_as_strings", [False, True])
def test_a_transaction_id_above_2_53_survives_end_to_end(shop, ids_as_strings):
    shop.linepay.ids_as_strings = ids_as_strings  # LINE Pay's JSON number, or a string
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    issued = int(emulated(shop, attempt)["transactionId"])
    assert issued > 2**53 and attempt["ts_no"] == str(issued)
    assert float(issued) != issued  # a float on the way would have changed it
    confirm_url = shopper_answers(shop, payment_url)
    assert parse_qs(urlsplit(confirm_url).query)["transactionId"] == [str(issued)]
    assert requests.get(confirm_url, timeout=10).status_code == 200
    # The emulator confirmed exactly this id: any rounding would have been 1150 "not found".
    assert shop.linepay.transactions[issued].state == "CONFIRMED"
    assert shop.order(order_id)["status"] == "paid"


def test_no_linepay_secret_reaches_the_logs_over_a_linepay_purchase(shop, caplog):
    caplog.set_level("DEBUG")
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    requests.get(shopper_answers(shop, payment_url), timeout=10)
    sync_payments(shop)
    assert shop.order(order_id)["status"] == "paid"
    logged = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "event=linepay_call api=confirm" in logged  # the logs were captured
    assert LINEPAY_SECRET not in logged and "X-LINE-Authorization" not in logged
