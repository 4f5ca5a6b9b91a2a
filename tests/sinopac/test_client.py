"""QPayClient against a bank faked at the HTTP edge with `responses`."""
import json
import logging

import pytest
import requests
import responses

from sinopac import (BankConnectionError, BankRejectedError, BankSignatureError, CardParam,
                     OrderCreateRequest, QPayClient, crypto)

BASE = "https://bank.test/funBIZ/QPay.WebAPI/api"
SHOP = "NA0249_001"
KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
HASH_ID = "87282A2FA0E209EBE1B3713AB56A06C2"
X_KEY_ID = "5f0c2a9e-0d7b-4c1e-9a3f-7b1e2d4c6a80"
SUCCESS = "S0000 \u2013 處理成功"


class FakeBank:
    """Answers /Nonce and /Order like the bank; records every decrypted request."""

    def __init__(self, rsps):
        self.rsps = rsps
        self.nonce_count = 0
        self.requests = []  # (headers, decrypted business object)
        self.nonce_headers = []
        self.reply = None  # callable(message) -> reply object
        self.tamper = False
        rsps.add_callback(responses.POST, f"{BASE}/Nonce", callback=self._nonce)

    def new_nonce(self):
        self.nonce_count += 1
        return f"NONCE{self.nonce_count:03d}=="

    def _nonce(self, request):
        self.nonce_headers.append(dict(request.headers))
        return 200, {}, json.dumps({"Nonce": self.new_nonce()})

    def serve_orders(self, reply):
        self.reply = reply
        self.rsps.add_callback(responses.POST, f"{BASE}/Order", callback=self.order)

    def order(self, request):
        envelope = json.loads(request.body.decode("utf-8"))
        message = json.loads(crypto.decrypt(envelope["Message"], HASH_ID, envelope["Nonce"]))
        assert crypto.verify(message, envelope["Nonce"], HASH_ID, envelope["Sign"])
        self.requests.append((dict(request.headers), message))
        return 200, {}, self.envelope(envelope["APIService"], self.reply(message)).encode("utf-8")

    def envelope(self, service, reply):
        nonce = self.new_nonce()
        sign = crypto.sign(reply, nonce, HASH_ID)
        if self.tamper:
            sign = sign[:-1] + ("0" if sign[-1] != "0" else "1")
        return crypto.dumps({"Version": "1.0.0", "ShopNo": SHOP, "APIService": service,
                             "Sign": sign, "Nonce": nonce,
                             "Message": crypto.encrypt(crypto.dumps(reply), HASH_ID, nonce)})


def card_reply(message):
    return {"OrderNo": message["OrderNo"], "ShopNo": SHOP, "TSNo": "NA024900000173",
            "Amount": message.get("Amount", 100), "Status": "S", "Description": SUCCESS, "PayType": "C",
            "CardParam": {"CardPayURL": "https://pay.test/card?TK=1"}}


@pytest.fixture
def rsps():
    with responses.RequestsMock() as mock:
        yield mock


@pytest.fixture
def bank(rsps):
    return FakeBank(rsps)


@pytest.fixture
def client():
    qpay = QPayClient(BASE + "/", SHOP, KEYS, X_KEY_ID, timeout=2.0)
    qpay.retry_backoff = 0
    return qpay


def card_order(order_no="2021091500002", amount=404):
    return OrderCreateRequest(OrderNo=order_no, Amount=amount, PayType="C",
                              PrdtName="IPhone 13 Pro Max 256g",
                              ReturnURL="https://shop.test/return",
                              BackendURL="https://shop.test/backend", CardParam=CardParam())


def test_order_create_sends_x_key_id_on_both_calls_and_amount_in_minor_units(bank, client):
    bank.serve_orders(card_reply)
    created = client.order_create(card_order(amount=404))
    order_headers, sent = bank.requests[0]
    assert bank.nonce_headers[0]["X-KeyID"] == X_KEY_ID
    assert order_headers["X-KeyID"] == X_KEY_ID
    assert order_headers["Content-Type"] == "application/json; charset=utf-8"
    assert sent["Amount"] == 40400
    assert sent["ShopNo"] == SHOP
    assert sent["CardParam"] == {"AutoBilling": "Y", "ExpMinutes": 30, "PayTypeSub": "ONE"}
    assert "ATMParam" not in sent and "Memo" not in sent
    assert created.Amount == 404
    assert created.CardPayURL == "https://pay.test/card?TK=1"
    assert created.Description == SUCCESS


def test_a_tampered_reply_sign_is_refused(bank, client):
    bank.tamper = True
    bank.serve_orders(card_reply)
    with pytest.raises(BankSignatureError):
        client.order_create(card_order())


def test_a_reply_message_that_does_not_decrypt_is_refused(rsps, bank, client):
    rsps.add(responses.POST, f"{BASE}/Order",
             json={"Version": "1.0.0", "ShopNo": SHOP, "APIService": "OrderCreate",
                   "Sign": "00", "Nonce": "NONCE999==", "Message": "ABCDEF"})
    with pytest.raises(BankSignatureError):
        client.order_create(card_order())


def test_envelope_rejection_carries_the_bank_description(rsps, bank, client):
    rsps.add(responses.POST, f"{BASE}/Order",
             json={"Status": "F", "Description": "E0104 \u2013 簽章驗證失敗"})
    with pytest.raises(BankRejectedError) as info:
        client.order_create(card_order(order_no="A1"))
    assert info.value.description == "E0104 \u2013 簽章驗證失敗"
    assert info.value.order_no == "A1"


def test_business_status_f_raises_with_the_description(bank, client):
    bank.serve_orders(lambda m: {"OrderNo": m["OrderNo"], "ShopNo": SHOP, "Status": "F",
                                 "Description": "E0602 \u2013 收款方式未啟用"})
    with pytest.raises(BankRejectedError) as info:
        client.order_create(card_order())
    assert info.value.description == "E0602 \u2013 收款方式未啟用"
    assert info.value.status == "F"


def test_http_500_is_a_connection_error_and_not_retried(rsps, bank, client):
    call = rsps.add(responses.POST, f"{BASE}/Order", status=500, body="oops")
    with pytest.raises(BankConnectionError) as info:
        client.order_query("A1")
    assert info.value.should_retry is False
    assert call.call_count == 1


def test_non_json_answer_is_a_connection_error(rsps, bank, client):
    rsps.add(responses.POST, f"{BASE}/Order", body="<html>maintenance</html>")
    with pytest.raises(BankConnectionError):
        client.order_pay_query("ab" * 32)


def test_timeouts_are_retried_twice_for_queries(rsps, bank, client):
    call = rsps.add(responses.POST, f"{BASE}/Order", body=requests.ReadTimeout())
    with pytest.raises(BankConnectionError) as info:
        client.order_pay_query("ab" * 32)
    assert info.value.should_retry is True
    assert call.call_count == 3
    assert bank.nonce_count == 3  # a fresh nonce for every attempt


def test_order_maintain_is_never_retried(rsps, bank, client):
    call = rsps.add(responses.POST, f"{BASE}/Order", body=requests.ConnectionError())
    with pytest.raises(BankConnectionError):
        client.order_maintain("A1", "R")
    assert call.call_count == 1


def test_order_create_retry_after_connection_error_reuses_the_order_no(rsps, bank, client):
    rsps.add(responses.POST, f"{BASE}/Order", body=requests.ConnectionError())
    bank.serve_orders(card_reply)
    created = client.order_create(card_order(order_no="ORD-77"))
    assert created.OrderNo == "ORD-77"
    assert [message["OrderNo"] for _, message in bank.requests] == ["ORD-77"]
    assert bank.nonce_count == 3  # two nonces for two attempts, one in the reply


def test_pay_query_returns_a_declined_payment_instead_of_raising(bank, client):
    token = "cd" * 32
    bank.serve_orders(lambda m: {
        "ShopNo": SHOP, "PayToken": token, "Date": "202110141230", "Status": "S",
        "Description": SUCCESS, "TSResultContent": {
            "APType": "PayOut", "TSNo": "NA024900000173", "OrderNo": "A1", "ShopNo": SHOP,
            "PayType": "A", "Amount": "40400", "Status": "F", "Description": "E0701 \u2013 x",
            "PayDate": ""}})
    result = client.order_pay_query(token)
    assert bank.requests[0][1] == {"ShopNo": SHOP, "PayToken": token}
    assert result.Status == "S"
    assert result.TSResultContent.Status == "F"
    assert result.TSResultContent.Amount == 404
    assert result.TSResultContent.LeftCCNo is None


def test_order_query_sends_only_given_criteria_and_reads_paid_rows(bank, client):
    bank.serve_orders(lambda m: {
        "ShopNo": SHOP, "Date": "202110141230", "Status": "S", "Description": SUCCESS,
        "OrderList": [{"OrderNo": "A1", "TSNo": "T1", "Amount": 40400, "PayType": "A",
                       "PayStatus": "1A400", "PayDate": "202110141200",
                       "ExpireDate": "202110152359"},
                      {"OrderNo": "A2", "TSNo": "T2", "Amount": 100, "PayType": "C",
                       "PayStatus": "1C200", "ExpireDate": "202110141300"}]})
    result = client.order_query(pay_type="A", pay_flag="Y")
    assert bank.requests[0][1] == {"ShopNo": SHOP, "PayType": "A", "PayFlag": "Y"}
    assert [(row.OrderNo, row.Amount, row.is_paid) for row in result.OrderList] == \
        [("A1", 404, True), ("A2", 1, False)]


def test_no_secret_in_errors_or_logs(rsps, bank, client, caplog):
    caplog.set_level(logging.DEBUG)
    bank.tamper = True
    bank.serve_orders(card_reply)
    errors = []
    for call in (lambda: client.order_create(card_order()), lambda: client.order_query("A1")):
        with pytest.raises(BankSignatureError) as info:
            call()
        errors.append(info.value)
    rsps.replace(responses.POST, f"{BASE}/Order", body=requests.ConnectTimeout())
    with pytest.raises(BankConnectionError) as info:
        client.order_maintain("A1", "R")
    errors.append(info.value)

    plaintext = crypto.dumps(card_reply(bank.requests[0][1]))
    ivs = [crypto.iv_from_nonce(f"NONCE{n:03d}==").decode() for n in range(1, bank.nonce_count + 1)]
    secrets = [*KEYS, HASH_ID, X_KEY_ID, plaintext, "IPhone 13 Pro Max", *ivs]
    text = caplog.text + "".join(str(e) + repr(e) for e in errors) + repr(client)
    assert "event=bank_call bank_service=OrderCreate order_no=2021091500002" in caplog.text
    for secret in secrets:
        assert secret not in text
