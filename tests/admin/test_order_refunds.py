"""Refunds from the back office and its API: card refunds through the bank emulator, transfers
recorded for ATM payments, refusals, restock, and a refund never reaching the bank twice."""
import threading

import pytest
import requests

from tests.support.admin import EMAIL, pay_order, place_order
from tests.support.messages import message_text


@pytest.fixture
def token(shop, owner):
    return shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()


def refund(shop, token, order_id, body=None, key=None):
    """POST /admin/api/orders/<id>/refund over real HTTP, as a script would."""
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(f"{shop.url}/admin/api/orders/{order_id}/refund", json=body or {},
                         headers=headers, timeout=30)


def card_order(shop, price=500, quantity=2, stock=10):
    """A shopper orders `quantity` × product 1 and pays by card: (shopper, order id, OrderNo)."""
    shop.add_product(1, name="烏龍茶", price=price, stock=stock)
    shopper = shop.buyer()
    order_id = shop.checkout(shopper, p1=quantity)
    shop.pay_with(shopper, order_id, "card")
    order_no = shop.attempts(order_id)[0]["order_no"]
    shop.bank_pays(order_no)
    assert shop.order(order_id)["status"] == "paid"
    return shopper, order_id, order_no


def bank_refunds(shop, order_no) -> list[int]:
    """What the bank emulator refunded on that OrderNo, in NT$ (it keeps minor units)."""
    return [r.amount // 100 for r in shop.bank.find_order(order_no).refunds]


def refund_rows(shop, order_id):
    return shop.sql("SELECT amount, method, status, reason, note, bank_description "
                    "FROM refunds WHERE order_id = %s ORDER BY id", (order_id,))


def test_a_full_card_refund_goes_through_the_bank_and_tells_the_shopper(shop, token):
    shopper, order_id, order_no = card_order(shop)
    answer = refund(shop, token, order_id, {"reason": "缺貨"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["paid"], body["refunded"], body["refundable"], body["refund_state"]) == \
        (1000, 1000, 0, "full")
    assert body["order"]["id"] == order_id and body["order"]["status"] == "paid"
    assert [(r["amount"], r["method"], r["status"]) for r in body["refunds"]] == \
        [(1000, "card", "done")]
    assert bank_refunds(shop, order_no) == [1000]
    assert shop.bank.find_order(order_no).refunds[0].remark == "缺貨"
    assert message_text(shop.bot_messages(shopper)[-1]) == (
        f"💸 訂單 #{order_id} 已退款 NT$1000，款項會退回您付款的信用卡（入帳時間依發卡銀行而定）。"
        "\n原因：缺貨")

    again = refund(shop, token, order_id, {})
    assert again.status_code == 409 and again.json()["message"] == "這筆訂單已全額退款。"
    assert bank_refunds(shop, order_no) == [1000]


def test_partial_card_refunds_add_up_to_what_was_paid_and_no_more(shop, token):
    shopper, order_id, order_no = card_order(shop)
    first = refund(shop, token, order_id, {"amount": 300, "reason": "少一件"}).json()
    assert (first["refunded"], first["refundable"], first["refund_state"]) == (300, 700, "partial")
    assert message_text(shop.bot_messages(shopper)[-1]).startswith(
        f"💸 訂單 #{order_id} 已退款 NT$300")

    over = refund(shop, token, order_id, {"amount": 701})
    assert over.status_code == 422 and over.json()["message"] == "退款金額超過可退金額：最多可退 NT$700。"
    rest = refund(shop, token, order_id, {}).json()
    assert (rest["refunded"], rest["refund_state"]) == (1000, "full")
    assert bank_refunds(shop, order_no) == [300, 700]


@pytest.mark.parametrize("body, status", [
    ({"amount": 0}, 422), ({"amount": -5}, 422), ({"amount": 1.5}, 422),
    ({"amount": "300"}, 422), ({"amount": True}, 422), ({"amount": 300, "restock": "yes"}, 400),
])
def test_a_bad_amount_or_restock_is_refused_and_nothing_changes(shop, token, body, status):
    _, order_id, order_no = card_order(shop)
    answer = refund(shop, token, order_id, body)
    assert answer.status_code == status and answer.json()["message"]
    assert refund_rows(shop, order_id) == [] and bank_refunds(shop, order_no) == []


def test_an_unpaid_order_is_not_refundable(shop, token):
    shop.add_product(1, price=100, stock=5)
    order_id = shop.checkout(shop.buyer(), p1=1)
    answer = refund(shop, token, order_id, {"amount": 50})
    assert answer.status_code == 409 and answer.json()["message"] == "這筆訂單尚未付款，無法退款。"
    assert refund(shop, token, 999, {}).status_code == 404
    assert refund_rows(shop, order_id) == []


def test_the_banks_refusal_is_shown_with_its_description_and_nothing_changes(shop, token):
    shopper, order_id, order_no = card_order(shop)
    told = len(shop.bot_messages(shopper))
    requests.post(shop.bank.url + "/_emulator/config", timeout=5, json={
        "refuse_next": 1, "refuse_description": "E0999 – 發卡行拒絕退款"}).raise_for_status()
    answer = refund(shop, token, order_id, {"amount": 400, "restock": True})
    assert answer.status_code == 502
    assert answer.json()["message"] == "銀行拒絕退款：E0999 – 發卡行拒絕退款"
    assert [(r["status"], r["bank_description"]) for r in refund_rows(shop, order_id)] == \
        [("failed", "E0999 – 發卡行拒絕退款")]
    assert bank_refunds(shop, order_no) == [] and shop.stock(1) == 8
    assert len(shop.bot_messages(shopper)) == told
    detail = refund(shop, token, order_id, {"amount": 400}).json()
    assert (detail["refunded"], bank_refunds(shop, order_no)) == (400, [400])


def test_a_double_click_reaches_the_bank_once(shop, token):
    _, order_id, order_no = card_order(shop)
    shop.bank.latency = 0.3  # the first click is still at the bank when the second arrives
    start = threading.Barrier(2)
    answers = []

    def click():
        start.wait()
        answers.append(refund(shop, token, order_id, {"amount": 300}))
    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert "正在向銀行確認" in next(a for a in answers if a.status_code == 409).json()["message"]
    assert bank_refunds(shop, order_no) == [300]
    assert [r["status"] for r in refund_rows(shop, order_id)] == ["done"]


def test_the_same_request_sent_again_finds_its_first_refund(shop, token):
    shopper, order_id, order_no = card_order(shop)
    first = refund(shop, token, order_id, {"amount": 300}, key="click-1")
    told = len(shop.bot_messages(shopper))
    again = refund(shop, token, order_id, {"amount": 300}, key="click-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["refunded"] == 300 and bank_refunds(shop, order_no) == [300]
    assert len(shop.bot_messages(shopper)) == told


def test_a_lost_bank_answer_is_settled_by_order_query_not_a_second_refund(make_shop, owner):
    shop = make_shop(HTTP_TIMEOUT=1)
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    shopper, order_id, order_no = card_order(shop)
    # The bank carries the refund out, but its answer never comes back.
    shop.bank.hang_seconds, shop.bank.drop_next = 1.5, 1
    answer = refund(shop, token, order_id, {"amount": 300})
    assert answer.status_code == 200, answer.text
    assert answer.json()["refunded"] == 300
    assert bank_refunds(shop, order_no) == [300]
    assert message_text(shop.bot_messages(shopper)[-1]).startswith(f"💸 訂單 #{order_id} 已退款")


def test_a_refund_left_pending_is_settled_by_the_retry_without_a_second_refund(make_shop, owner):
    shop = make_shop(HTTP_TIMEOUT=1)
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    _, order_id, order_no = card_order(shop)
    # The refund's answer is lost, and so are the three OrderQuery tries that follow.
    shop.bank.hang_seconds, shop.bank.drop_next = 1.5, 4
    unconfirmed = refund(shop, token, order_id, {"amount": 300})
    assert unconfirmed.status_code == 504 and "不會重複退款" in unconfirmed.json()["message"]
    assert [r["status"] for r in refund_rows(shop, order_id)] == ["pending"]

    retry = refund(shop, token, order_id, {"amount": 300})
    assert retry.status_code == 200 and retry.json()["refunded"] == 300
    assert [r["status"] for r in refund_rows(shop, order_id)] == ["done"]
    assert bank_refunds(shop, order_no) == [300]


def test_a_pending_refund_the_bank_never_got_is_marked_failed_on_retry(shop, token):
    _, order_id, order_no = card_order(shop)
    # As if our process died right after committing the refund, before calling the bank.
    shop.sql("""INSERT INTO refunds (order_id, attempt_id, amount, method, reason, bank_call_until)
                SELECT order_id, id, 300, 'card', '', now() - interval '1 minute'
                FROM payment_attempts WHERE order_id = %s RETURNING id""", (order_id,))
    retry = refund(shop, token, order_id, {"amount": 300})
    assert retry.status_code == 502 and "銀行沒有收到這筆退款" in retry.json()["message"]
    assert [r["status"] for r in refund_rows(shop, order_id)] == ["failed"]
    assert bank_refunds(shop, order_no) == []
    assert refund(shop, token, order_id, {"amount": 300}).json()["refunded"] == 300


def test_a_bank_count_that_does_not_add_up_leaves_the_refund_pending_and_flags_the_order(
        shop, token):
    _, order_id, order_no = card_order(shop)
    shop.sql("""INSERT INTO refunds (order_id, attempt_id, amount, method, reason, bank_call_until)
                SELECT order_id, id, 300, 'card', '', now() - interval '1 minute'
                FROM payment_attempts WHERE order_id = %s RETURNING id""", (order_id,))
    shop.rt.bank.order_maintain(order_no, amount=100)   # someone refunded 100 in the bank portal
    retry = refund(shop, token, order_id, {"amount": 300})
    assert retry.status_code == 504 and "與本店紀錄不符" in retry.json()["message"]
    assert [r["status"] for r in refund_rows(shop, order_id)] == ["pending"]
    assert shop.order(order_id)["flag_note"] == "退款待確認：銀行已退 NT$100，本店紀錄 NT$300"
    assert bank_refunds(shop, order_no) == [100]


def test_restock_returns_the_unshipped_units_once_and_the_order_no_longer_ships(shop, token):
    _, order_id, _ = card_order(shop, quantity=3)
    assert shop.stock(1) == 7
    refund(shop, token, order_id, {"amount": 100, "restock": True})
    assert shop.stock(1) == 10
    refund(shop, token, order_id, {"amount": 100, "restock": True})
    assert shop.stock(1) == 10
    ship = requests.post(f"{shop.url}/admin/api/orders/{order_id}/ship", json={},
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert ship.status_code == 409 and shop.order(order_id)["status"] == "paid"


def test_a_shipped_order_is_refunded_without_restock(shop, token):
    _, order_id, _ = card_order(shop, quantity=3)
    requests.post(f"{shop.url}/admin/api/orders/{order_id}/ship", json={"tracking_note": "x"},
                  headers={"Authorization": f"Bearer {token}"}, timeout=10).raise_for_status()
    assert refund(shop, token, order_id, {"restock": True}).json()["refund_state"] == "full"
    assert shop.stock(1) == 7


def test_an_atm_refund_is_recorded_as_the_owners_transfer_without_the_bank(shop, token):
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 2)
    order_no = pay_order(shop, shopper, order_id)
    answer = refund(shop, token, order_id, {"amount": 150, "reason": "破損",
                                            "note": "12/01 匯至顧客帳號末五碼 12345"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["refunded"], answer.json()["refund_state"]) == (150, "partial")
    assert refund_rows(shop, order_id) == [{
        "amount": 150, "method": "atm_transfer", "status": "done", "reason": "破損",
        "note": "12/01 匯至顧客帳號末五碼 12345", "bank_description": None}]
    assert bank_refunds(shop, order_no) == []
    assert message_text(shop.bot_messages(shopper)[-1]) == (
        f"💸 訂單 #{order_id} 已退款 NT$150，商店已用銀行轉帳匯還給您。\n原因：破損")
