"""LINE Pay beside ATM and card: switching methods before paying, the order API's LINE Pay,
refunds from the back office, and a shop without LINE Pay settings (issue 16)."""
import requests

from tests.support.settings import linepay_settings
from tests.e2e.test_linepay_payments import emulated, linepay_order, paid_messages, \
    shopper_answers
from tests.e2e.test_order_api import call
from tests.support.admin import EMAIL, create_owner
from tests.support.messages import actions, all_text


def linepay_shop(make_shop, linepay, **overrides):
    shop = make_shop(**linepay_settings(linepay), **overrides)
    shop.linepay = linepay
    return shop


def labels(messages):
    return [a["label"] for m in messages for a in actions(m)]


def test_the_chat_offers_linepay_as_a_third_button_when_configured(make_shop, linepay):
    shop = linepay_shop(make_shop, linepay)
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    shop.text(user, "cart 1 1")
    assert labels(shop.postback(user, "action=buy"))[:3] == ["ATM 轉帳", "信用卡", "LINE Pay"]


def test_without_linepay_settings_nothing_offers_it(make_shop):
    shop = make_shop(LINE_LOGIN_CHANNEL_ID="2000000000")
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    card = shop.bot_messages(user)[-1]
    assert "LINE Pay" not in labels([card])
    assert "按鈕已經失效" in all_text(shop.pay_with(user, order_id, "linepay"))
    assert shop.attempts(order_id) == []
    answer = call(shop, "POST", f"/orders/{order_id}/payments", user, json={"method": "linepay"})
    assert answer.status_code == 400 and answer.json()["fields"]["method"] == \
        "請選擇 atm, card"
    assert requests.get(f"{shop.url}/linepay/confirm?transactionId=1&orderId=x",
                        timeout=5).status_code == 404


def test_switching_linepay_to_atm_and_back_keeps_one_payable_attempt(make_shop, linepay):
    shop = linepay_shop(make_shop, linepay)
    user = shop.buyer()
    order_id, first, first_url = linepay_order(shop, user)
    shop.pay_with(user, order_id, "atm")
    atm_hold = shop.order(order_id)["expires_at"]
    replies = shop.pay_with(user, order_id, "linepay")
    attempts = shop.attempts(order_id)
    assert [(a["pay_type"], a["status"]) for a in attempts] == \
        [("L", "void"), ("A", "void"), ("L", "open")]
    assert attempts[2]["order_no"] != first["order_no"]  # LINE Pay refuses a used orderId
    assert attempts[2]["pay_url"] in [a.get("uri") for m in replies for a in actions(m)]
    assert shop.order(order_id)["expires_at"] == atm_hold  # a hold is never shortened
    # Approving the replaced LINE Pay payment takes no money: it is never confirmed.
    page = requests.get(shopper_answers(shop, first_url), timeout=10)
    assert 'data-paid="no"' in page.text and emulated(shop, first)["state"] == "AUTHORIZED"
    assert shop.order(order_id)["status"] == "pending"
    requests.get(shopper_answers(shop, attempts[2]["pay_url"]), timeout=10)
    assert shop.order(order_id)["status"] == "paid" and paid_messages(shop, user) == 1


def test_the_order_api_pays_with_linepay(make_shop, linepay):
    shop = linepay_shop(make_shop, linepay, LINE_LOGIN_CHANNEL_ID="2000000000")
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    answer = call(shop, "POST", f"/orders/{order_id}/payments", user, json={"method": "linepay"})
    attempt = shop.attempts(order_id)[-1]
    assert answer.status_code == 201
    assert answer.json() == {"payment": {
        "method": "linepay", "payment_url": attempt["pay_url"], "app_url": attempt["pay_app_url"],
        "amount": 450, "status": "open"}}
    assert str(attempt["ts_no"]) not in answer.text  # a browser would round the 19 digits
    shown = call(shop, "GET", f"/orders/{order_id}", user).json()["order"]["payment"]
    assert shown["method"] == "linepay" and shown["payment_url"] == attempt["pay_url"]


def test_a_linepay_order_is_refunded_through_the_back_office(make_shop, linepay):
    shop = linepay_shop(make_shop, linepay)
    create_owner(shop.app)
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    requests.get(shopper_answers(shop, payment_url), timeout=10)
    assert shop.order(order_id)["status"] == "paid"

    def refund(body):
        return requests.post(f"{shop.url}/admin/api/orders/{order_id}/refund", json=body,
                             headers={"Authorization": f"Bearer {token}"}, timeout=30)

    partial = refund({"amount": 300, "reason": "少一件"})
    assert partial.status_code == 200, partial.text
    assert (partial.json()["refunded"], partial.json()["refundable"]) == (300, 600)
    assert emulated(shop, attempt)["refunded"] == 300
    assert "LINE Pay" in shop.last_text(user) and "300" in shop.last_text(user)
    rest = refund({})
    assert rest.status_code == 200 and rest.json()["refund_state"] == "full"
    assert emulated(shop, attempt)["refunded"] == 900
    rows = shop.sql("SELECT amount, method, status FROM refunds WHERE order_id = %s ORDER BY id",
                    (order_id,))
    assert [(r["amount"], r["method"], r["status"]) for r in rows] == \
        [(300, "linepay", "done"), (600, "linepay", "done")]
    assert refund({}).status_code == 409  # nothing left: refused before LINE Pay is asked


def test_a_refund_linepay_already_made_1165_counts_as_done(make_shop, linepay):
    shop = linepay_shop(make_shop, linepay)
    create_owner(shop.app)
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    user = shop.buyer()
    order_id, attempt, payment_url = linepay_order(shop, user)
    requests.get(shopper_answers(shop, payment_url), timeout=10)
    shop.linepay.transactions[int(attempt["ts_no"])].refunds.append((1, 900, "2026-12-01"))
    answer = requests.post(f"{shop.url}/admin/api/orders/{order_id}/refund", json={},
                           headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200 and answer.json()["refund_state"] == "full"
    assert shop.sql("SELECT bank_description FROM refunds")[0]["bank_description"] == \
        "LINE Pay：已退款（1165）"


def test_linepay_down_tells_the_shopper_and_sync_payments_skips_the_attempt(make_shop, linepay):
    shop = linepay_shop(make_shop, linepay)
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.rt.providers.named("linepay").client.base_url = "http://127.0.0.1:9"  # nobody there
    replies = shop.pay_with(user, order_id, "linepay")
    assert "稍後" in all_text(replies) or "暫時" in all_text(replies), all_text(replies)
    assert [a["status"] for a in shop.attempts(order_id)] == ["error"]
    result = shop.app.test_cli_runner().invoke(args=["sync-payments"])
    assert result.exit_code == 0 and "0 errors" in result.output, result.output
    assert shop.order(order_id)["status"] == "pending"
