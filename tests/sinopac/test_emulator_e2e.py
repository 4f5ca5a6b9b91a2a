"""The real QPayClient against the bank emulator over loopback HTTP."""
import html
import json
import re
from datetime import date, timedelta

import pytest
import requests
from flask import Flask, request

from sinopac import (ATMParam, BankConnectionError, BankRejectedError, CardParam,
                     OrderCreateRequest, QPayClient, crypto)
from sinopac.emulator import serve_in_thread
from sinopac.emulator_state import EmulatorState

SHOP = "NA0249_001"
KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
HASH_ID = crypto.hash_id(*KEYS)
X_KEY_ID = "5f0c2a9e-0d7b-4c1e-9a3f-7b1e2d4c6a80"


class Merchant:
    """A tiny shop on loopback: BackendURL gets JSON, ReturnURL gets the browser's form."""

    def __init__(self):
        self.backend_calls, self.returns = [], []
        self.fail_backend = 0
        app = Flask("merchant")

        @app.post("/backend")
        def backend():
            self.backend_calls.append(request.get_json())
            if self.fail_backend:
                self.fail_backend -= 1
                return {"Status": "F"}, 500
            return {"Status": "S"}

        @app.post("/return")
        def return_page():
            self.returns.append(request.form.to_dict())
            return "thanks"

        self.server, self.url = serve_in_thread(app)


@pytest.fixture
def state():
    bank = EmulatorState(notify_retry_delay=0.05)
    bank.add_shop(SHOP, KEYS, X_KEY_ID)
    return bank


@pytest.fixture
def merchant():
    shop = Merchant()
    yield shop
    shop.server.shutdown()
    shop.server.server_close()


@pytest.fixture
def client(bank_url):
    qpay = QPayClient(bank_url + "/api", SHOP, KEYS, X_KEY_ID, timeout=2.0)
    qpay.retry_backoff = 0.01
    return qpay


def card_order(merchant, order_no="C0001", amount=404, **card):
    return OrderCreateRequest(OrderNo=order_no, Amount=amount, PayType="C",
                              PrdtName="可口可樂 x2", ReturnURL=merchant.url + "/return",
                              BackendURL=merchant.url + "/backend", CardParam=CardParam(**card),
                              Param1="order-17")


def atm_order(merchant, order_no="A0001", amount=500):
    tomorrow = (date.today() + timedelta(days=1)).strftime("%Y%m%d")
    return OrderCreateRequest(OrderNo=order_no, Amount=amount, PayType="A", PrdtName="雪碧",
                              ReturnURL=merchant.url + "/return",
                              BackendURL=merchant.url + "/backend",
                              ATMParam=ATMParam(ExpireDate=tomorrow))


def form_of(page: str) -> tuple[str, dict]:
    """Return a page's form action and hidden fields, as a browser would read them."""
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page).group(1))
    fields = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return action, fields


def submit_card_page(bank_url, card_pay_url, action):
    page = requests.get(card_pay_url, timeout=5)
    assert page.status_code == 200
    form_action, fields = form_of(page.text)
    return page.text, requests.post(bank_url + form_action, data={**fields, "action": action},
                                    timeout=5)


def test_card_payment_end_to_end(bank_url, client, merchant, state):
    created = client.order_create(card_order(merchant, amount=404))
    assert created.CardPayURL.startswith(f"{bank_url}/card/{created.TSNo}?TK=")
    assert re.fullmatch(r"NA0249\d{8}", created.TSNo)
    assert created.Param1 == "order-17"

    page, redirect = submit_card_page(bank_url, created.CardPayURL, "pay")
    assert "NT$ 404" in page and "可口可樂 x2" in page and "付款" in page and "拒絕" in page
    return_url, fields = form_of(redirect.text)
    assert return_url == merchant.url + "/return"
    requests.post(return_url, data=fields, timeout=5)  # the auto-submitting form

    state.wait_for_notifications(1)
    assert merchant.backend_calls == [{"ShopNo": SHOP, "PayToken": fields["PayToken"]}]
    assert merchant.returns == [{"ShopNo": SHOP, "PayToken": fields["PayToken"]}]
    assert re.fullmatch(r"[0-9a-f]{64}", fields["PayToken"])

    result = client.order_pay_query(fields["PayToken"])
    content = result.TSResultContent
    assert (content.Status, content.Amount, content.OrderNo, content.APType) == \
        ("S", 404, "C0001", "PayOut")
    assert content.PayDate and content.RightCCNo == "4242" and content.Param1 == "order-17"


def test_declined_card_gives_inner_status_f(bank_url, client, merchant, state):
    created = client.order_create(card_order(merchant))
    _, redirect = submit_card_page(bank_url, created.CardPayURL, "decline")
    _, fields = form_of(redirect.text)
    state.wait_for_notifications(1)
    result = client.order_pay_query(fields["PayToken"])
    assert result.Status == "S"
    assert result.TSResultContent.Status == "F"
    assert result.TSResultContent.Description.startswith("E0701")
    assert not client.order_query("C0001").OrderList[0].is_paid


def test_card_page_needs_the_right_token(bank_url, client, merchant):
    created = client.order_create(card_order(merchant))
    wrong = created.CardPayURL.split("?TK=")[0] + "?TK=not-the-token"
    assert requests.get(wrong, timeout=5).status_code == 404


def test_atm_payment_end_to_end(bank_url, client, merchant, state):
    created = client.order_create(atm_order(merchant, amount=500))
    assert re.fullmatch(r"\d{14}", created.AtmPayNo)
    awaiting = client.order_query("A0001").OrderList[0]
    assert (awaiting.PayStatus, awaiting.is_paid, awaiting.Amount) == ("1A200", False, 500)

    transfer = requests.post(bank_url + "/atm/transfer",
                             json={"AtmPayNo": created.AtmPayNo, "Amount": 500}, timeout=5)
    assert transfer.status_code == 200
    state.wait_for_notifications(1)
    token = merchant.backend_calls[0]["PayToken"]
    assert token == transfer.json()["PayToken"]
    assert merchant.returns == []  # §11.2 pitfall 7: ATM never hits ReturnURL

    content = client.order_pay_query(token).TSResultContent
    assert (content.Status, content.Amount, content.PayType) == ("S", 500, "A")
    assert content.LeftCCNo is None
    paid = client.order_query("A0001").OrderList[0]
    assert (paid.PayStatus, paid.is_paid) == ("1A400", True)
    assert paid.PayDate == content.PayDate


def test_atm_transfer_of_the_wrong_amount_is_refused(bank_url, client, merchant, state):
    created = client.order_create(atm_order(merchant, amount=500))
    transfer = requests.post(bank_url + "/atm/transfer",
                             data={"AtmPayNo": created.AtmPayNo, "Amount": "499"}, timeout=5)
    assert transfer.status_code == 400
    assert "轉帳失敗" in transfer.text
    assert state.notifications == []


def test_backend_notification_is_retried_until_the_merchant_answers_200(
        bank_url, client, merchant, state):
    merchant.fail_backend = 1
    client.order_create(atm_order(merchant))
    state.pay("A0001")
    sent = state.wait_for_notifications(2)
    assert [status for _, _, status in sent] == [500, 200]


def test_notify_knob_sends_the_notification_twice(bank_url, client, merchant, state):
    client.order_create(atm_order(merchant))
    payment = state.pay("A0001")
    state.wait_for_notifications(1)
    knob = requests.post(f"{bank_url}/_emulator/orders/A0001/notify",
                         json={"times": 2, "delay": 0.1}, timeout=5)
    assert knob.status_code == 202
    state.wait_for_notifications(3)
    assert merchant.backend_calls == [{"ShopNo": SHOP, "PayToken": payment.pay_token}] * 3


def test_duplicate_order_no_is_refused_so_a_retry_cannot_double_charge(client, merchant, state):
    first = client.order_create(card_order(merchant, order_no="DUP1"))
    # Refused as a duplicate, the client finds the order the bank made and carries on with it.
    again = client.order_create(card_order(merchant, order_no="DUP1"))
    assert (again.TSNo, again.CardPayURL) == (first.TSNo, first.CardPayURL)
    with pytest.raises(BankRejectedError) as info:
        client.order_create(card_order(merchant, order_no="DUP1", amount=999))
    assert info.value.description == "E0202 \u2013 訂單編號重複"
    assert len(state.order_list()) == 1


@pytest.mark.parametrize("fail_mode", ["lost", "late"])
def test_an_order_create_whose_answer_is_lost_carries_on_with_the_bank_order(
        bank_url, merchant, state, fail_mode):
    client = QPayClient(bank_url + "/api", SHOP, KEYS, X_KEY_ID, timeout=0.5)
    requests.post(bank_url + "/_emulator/config",
                  json={"fail_next": 1, "fail_mode": fail_mode, "hang_seconds": 1}, timeout=5)
    created = client.order_create(atm_order(merchant))
    [order] = state.order_list()
    assert (created.TSNo, created.AtmPayNo, created.Amount) == \
        (order["TSNo"], order["AtmPayNo"], 500)


@pytest.mark.parametrize("card, code", [({"PayTypeSub": "STAGING"}, "E0602 \u2013 收款方式未啟用"),
                                        ({"ExpMinutes": 31}, "E0206 \u2013 日期範圍不正確")])
def test_card_parameters_are_validated(client, merchant, card, code):
    with pytest.raises(BankRejectedError) as info:
        client.order_create(card_order(merchant, **card))
    assert info.value.description == code


def test_refund_of_a_paid_card_order(client, merchant, state):
    client.order_create(card_order(merchant, amount=404))
    state.pay("C0001")
    refund = client.order_maintain("C0001", "R")
    assert (refund.Status, refund.Command, refund.Amount) == ("S", "R", 404)
    assert client.order_query("C0001").OrderList[0].RefundFlag == "Y"
    with pytest.raises(BankRejectedError):
        client.order_maintain("C0001", "R")


def fresh_nonce(bank_url):
    return requests.post(bank_url + "/api/Nonce", json={"ShopNo": SHOP},
                         headers={"X-KeyID": X_KEY_ID}, timeout=5).json()["Nonce"]


def raw_order_call(bank_url, message, *, x_key_id=X_KEY_ID, nonce=None, sign=None):
    """Send one hand-built envelope; return (nonce used, JSON answer)."""
    headers = {"X-KeyID": x_key_id}
    nonce = nonce or fresh_nonce(bank_url)
    envelope = {"Version": "1.0.0", "ShopNo": SHOP, "APIService": "OrderQuery",
                "Sign": sign or crypto.sign(message, nonce, HASH_ID), "Nonce": nonce,
                "Message": crypto.encrypt(crypto.dumps(message), HASH_ID, nonce)}
    answer = requests.post(bank_url + "/api/Order", json=envelope, headers=headers, timeout=5)
    assert answer.status_code == 200
    return nonce, answer.json()


QUERY = {"ShopNo": SHOP, "OrderNo": "X1"}


def test_emulator_answers_a_valid_hand_built_envelope(bank_url):
    _, answer = raw_order_call(bank_url, QUERY)
    reply = json.loads(crypto.decrypt(answer["Message"], HASH_ID, answer["Nonce"]))
    assert crypto.verify(reply, answer["Nonce"], HASH_ID, answer["Sign"])
    assert reply["OrderList"] == []


def test_emulator_rejects_a_tampered_sign(bank_url):
    _, answer = raw_order_call(bank_url, QUERY, sign="A" * 64)
    assert answer == {"Status": "F", "Description": "E0104 \u2013 簽章驗證失敗"}


def test_emulator_rejects_a_reused_nonce(bank_url):
    nonce, first = raw_order_call(bank_url, QUERY)
    _, again = raw_order_call(bank_url, QUERY, nonce=nonce)
    assert "Message" in first
    assert again == {"Status": "F", "Description": "E0103 \u2013 Nonce 無效或已使用"}


def test_emulator_rejects_missing_or_wrong_x_key_id(bank_url):
    nonce = requests.post(bank_url + "/api/Nonce", json={"ShopNo": SHOP}, timeout=5)
    assert nonce.json() == {"Status": "F", "Description": "E0101 \u2013 X-KeyID 驗證失敗"}
    _, answer = raw_order_call(bank_url, QUERY, x_key_id="wrong", nonce=fresh_nonce(bank_url))
    assert answer["Description"] == "E0101 \u2013 X-KeyID 驗證失敗"
    assert "Message" not in answer


def test_client_with_wrong_shop_or_key_id_gets_the_bank_rejection(bank_url):
    wrong_shop = QPayClient(bank_url + "/api", "NA9999_001", KEYS, X_KEY_ID)
    with pytest.raises(BankRejectedError) as info:
        wrong_shop.order_query("X1")
    assert info.value.description == "E0102 \u2013 商店代號不存在"
    wrong_key = QPayClient(bank_url + "/api", SHOP, KEYS, "not-the-key")
    with pytest.raises(BankRejectedError, match="E0101"):
        wrong_key.order_query("X1")


def test_fail_next_500_gives_a_connection_error_then_recovers(bank_url, client):
    requests.post(bank_url + "/_emulator/config", json={"fail_next": 1, "fail_mode": "500"},
                  timeout=5)
    with pytest.raises(BankConnectionError):
        client.order_query("X1")
    assert client.order_query("X1").Status == "S"


def test_fail_next_timeout_is_retried_for_order_create_and_exhausts_for_queries(
        bank_url, merchant, state):
    client = QPayClient(bank_url + "/api", SHOP, KEYS, X_KEY_ID, timeout=0.3)
    client.retry_backoff = 0.01
    requests.post(bank_url + "/_emulator/config",
                  json={"fail_next": 1, "fail_mode": "timeout", "hang_seconds": 0.6}, timeout=5)
    assert client.order_create(card_order(merchant)).OrderNo == "C0001"
    assert len(state.order_list()) == 1

    requests.post(bank_url + "/_emulator/config", json={"fail_next": 3}, timeout=5)
    with pytest.raises(BankConnectionError) as info:
        client.order_query("C0001")
    assert info.value.should_retry is True
    orders = requests.get(bank_url + "/_emulator/orders", timeout=5).json()
    assert [order["OrderNo"] for order in orders] == ["C0001"]
