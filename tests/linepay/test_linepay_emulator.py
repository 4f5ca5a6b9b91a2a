"""The real LinePayClient against the LINE Pay emulator over loopback HTTP."""
import html
import json
import logging
import re
from datetime import timedelta

import pytest
import requests
from flask import Flask, request

from linepay import (LinePayClient, LinePayConnectionError, LinePayRejectedError, Package,
                     PaymentRequest, Product, signing)
from linepay.emulator import create_emulator, serve_in_thread
from linepay.emulator_state import LinePayState

CHANNEL_ID = "1656000000"
SECRET = "test-linepay-channel-secret-0123"


class Merchant:
    """A tiny shop on loopback whose confirm and cancel pages record what the browser sent."""

    def __init__(self):
        self.confirms, self.cancels = [], []
        app = Flask("merchant")

        @app.get("/confirm")
        def confirm_page():
            self.confirms.append(list(request.args.items(multi=True)))
            return "confirming"

        @app.get("/cancel")
        def cancel_page():
            self.cancels.append(request.args.to_dict())
            return "cancelled"

        self.server, self.url = serve_in_thread(app)


@pytest.fixture
def state():
    linepay = LinePayState()
    linepay.add_channel(CHANNEL_ID, SECRET)
    return linepay


@pytest.fixture
def pay_url(state):
    server, url = serve_in_thread(create_emulator(state))
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def merchant():
    shop = Merchant()
    yield shop
    shop.server.shutdown()
    shop.server.server_close()


@pytest.fixture
def client(pay_url):
    return LinePayClient(pay_url, CHANNEL_ID, SECRET, timeout=2.0)


def payment(merchant, order_id="ORD-1", confirm_query="", lines=(("可口可樂", 2, 50),)):
    products = tuple(Product(name, quantity, price) for name, quantity, price in lines)
    package = Package("shop", products)
    return PaymentRequest(order_id=order_id, amount=package.amount, packages=(package,),
                          confirm_url=f"{merchant.url}/confirm{confirm_query}",
                          cancel_url=f"{merchant.url}/cancel?attempt=9")


def press(payment_url_web: str, action: str) -> requests.Response:
    """Open the payment page and press a button, following the redirect as a browser does."""
    page = requests.get(payment_url_web, timeout=5)
    assert page.status_code == 200
    form_action = html.unescape(re.search(r'<form method="post" action="([^"]+)"',
                                          page.text).group(1))
    base = payment_url_web.split("/web/")[0]
    return requests.post(base + form_action, data={"action": action}, timeout=5)


def signed(pay_url, method, path, body="", *, nonce=None, secret=SECRET, channel=CHANNEL_ID):
    """Send a raw request signed by hand-set headers; return the answer's JSON text."""
    headers = signing.auth_headers(channel, secret, path, body, nonce)
    resp = requests.request(method, pay_url + path, data=body.encode() or None, headers=headers,
                            timeout=5)
    assert resp.status_code == 200
    return resp.text


def test_request_approve_confirm_pays_once(client, merchant, caplog):
    caplog.set_level(logging.DEBUG)
    answer = client.request_payment(payment(merchant, lines=(("可口可樂", 2, 50), ("雪碧", 1, 30))))
    assert answer.transaction_id > 2 ** 53 and len(str(answer.transaction_id)) == 19
    assert re.fullmatch(r"\d{12}", answer.payment_access_token)
    page = requests.get(answer.payment_url_web, timeout=5).text
    assert "NT$ 130" in page and "可口可樂 × 2" in page and "Approve" in page and "Cancel" in page
    assert client.check(answer.transaction_id).is_reserved

    landed = press(answer.payment_url_web, "approve")
    assert landed.text == "confirming"
    assert merchant.confirms == [[("transactionId", str(answer.transaction_id)),
                                  ("orderId", "ORD-1")]]
    assert client.check(answer.transaction_id).is_authorized

    confirmed = client.confirm(int(merchant.confirms[0][0][1]), 130)
    assert confirmed.transaction_id == answer.transaction_id and confirmed.order_id == "ORD-1"
    assert confirmed.paid_amount == 130
    assert client.check(answer.transaction_id).is_completed
    with pytest.raises(LinePayRejectedError) as again:
        client.confirm(answer.transaction_id, 130)
    assert again.value.return_code == "1152"
    assert SECRET not in caplog.text


def test_a_confirm_with_a_different_amount_is_refused(client, merchant):
    answer = client.request_payment(payment(merchant))
    press(answer.payment_url_web, "approve")
    with pytest.raises(LinePayRejectedError) as error:
        client.confirm(answer.transaction_id, 1)
    assert error.value.return_code == "1153"
    assert client.check(answer.transaction_id).is_authorized
    assert client.confirm(answer.transaction_id, 100).paid_amount == 100


def test_a_confirm_before_approval_is_refused(client, merchant):
    answer = client.request_payment(payment(merchant))
    with pytest.raises(LinePayRejectedError) as error:
        client.confirm(answer.transaction_id, 100)
    assert error.value.return_code == "1169"


def test_a_repeated_order_id_is_refused_with_1172(client, merchant):
    client.request_payment(payment(merchant, order_id="ORD-7"))
    with pytest.raises(LinePayRejectedError) as error:
        client.request_payment(payment(merchant, order_id="ORD-7"))
    assert error.value.return_code == "1172" and "orderId" in str(error.value)


def test_a_reused_nonce_a_bad_signature_or_an_unknown_channel_is_refused(pay_url):
    path = f"/v3/payments/requests/{2 ** 62}/check"
    nonce = signing.new_nonce()
    assert '"returnCode": "1150"' in signed(pay_url, "GET", path, nonce=nonce)
    assert '"returnCode": "1106"' in signed(pay_url, "GET", path, nonce=nonce)
    assert "nonce already used" in signed(pay_url, "GET", path, nonce=nonce)
    assert "bad signature" in signed(pay_url, "GET", path, secret="wrong-secret")
    assert '"returnCode": "1104"' in signed(pay_url, "GET", path, channel="999")
    headers = signing.auth_headers(CHANNEL_ID, SECRET, "/v3/payments/request", '{"a":1}')
    tampered = requests.post(pay_url + "/v3/payments/request", data=b'{"a":2}', headers=headers,
                             timeout=5)
    assert tampered.json()["returnCode"] == "1106"


@pytest.mark.parametrize("change, code", [
    ({"amount": 99}, "2101"),  # amount ≠ Σ packages
    ({"currency": "USD"}, "1178"),
    ({"amount": 1.5}, "1124"),
    ({"orderId": ""}, "2101"),
])
def test_a_malformed_payment_request_is_refused(pay_url, merchant, change, code):
    body = {**payment(merchant).to_body(), **change}
    text = signed(pay_url, "POST", "/v3/payments/request", json.dumps(body))
    assert json.loads(text)["returnCode"] == code
    assert signed(pay_url, "POST", "/v3/payments/request", "{not json")[:30].count("2102") == 1


def test_cancel_leaves_the_payment_unconfirmed(client, merchant):
    answer = client.request_payment(payment(merchant))
    assert press(answer.payment_url_web, "cancel").text == "cancelled"
    assert merchant.cancels == [{"attempt": "9"}] and merchant.confirms == []
    assert client.check(answer.transaction_id).return_code == "0121"
    with pytest.raises(LinePayRejectedError) as error:
        client.confirm(answer.transaction_id, 100)
    assert error.value.return_code == "1180"
    page = requests.get(answer.payment_url_web, timeout=5).text
    assert "already handled" in page and "Approve" not in page
    reserve_id = answer.payment_url_web.split("transactionReserveId=")[1]
    replay = requests.post(f"{client.base_url}/web/payment/{reserve_id}",
                           data={"action": "approve"}, timeout=5)
    assert replay.status_code == 409
    assert merchant.confirms == []


def test_confirm_url_keeps_its_query_and_gets_order_id_once(client, merchant):
    answer = client.request_payment(payment(merchant, order_id="ORD-2",
                                            confirm_query="?attempt=7&orderId=ORD-2"))
    press(answer.payment_url_web, "approve")
    assert merchant.confirms == [[("attempt", "7"), ("orderId", "ORD-2"),
                                  ("transactionId", str(answer.transaction_id))]]


def test_check_reports_failed_and_expired_payments(client, merchant, state, pay_url):
    failed = client.request_payment(payment(merchant, order_id="F"))
    assert requests.post(f"{pay_url}/_emulator/transactions/{failed.transaction_id}/fail",
                         timeout=5).status_code == 204
    assert client.check(failed.transaction_id).return_code == "0122"
    late = client.request_payment(payment(merchant, order_id="L"))
    state.payment_window = timedelta(0)
    assert client.check(late.transaction_id).is_final_failure
    assert requests.get(late.payment_url_web, timeout=5).text.count("already handled") == 1


def test_refund_partial_then_the_rest_then_twice(client, merchant):
    answer = client.request_payment(payment(merchant))
    with pytest.raises(LinePayRejectedError) as early:
        client.refund(answer.transaction_id)
    assert early.value.return_code == "1155"
    press(answer.payment_url_web, "approve")
    client.confirm(answer.transaction_id, 100)

    partial = client.refund(answer.transaction_id, 30)
    assert partial.refund_transaction_id > 2 ** 53 and partial.refund_transaction_date
    with pytest.raises(LinePayRejectedError) as over:
        client.refund(answer.transaction_id, 71)
    assert over.value.return_code == "1164"
    rest = client.refund(answer.transaction_id)
    assert rest.refund_transaction_id != partial.refund_transaction_id
    with pytest.raises(LinePayRejectedError) as twice:
        client.refund(answer.transaction_id)
    assert twice.value.return_code == "1165" and "already refunded" in str(twice.value)


def test_a_full_refund_with_an_empty_body_is_accepted(client, merchant, pay_url):
    answer = client.request_payment(payment(merchant))
    press(answer.payment_url_web, "approve")
    client.confirm(answer.transaction_id, 100)
    text = signed(pay_url, "POST", f"/v3/payments/{answer.transaction_id}/refund", "")
    assert json.loads(text)["returnCode"] == "0000"


@pytest.mark.parametrize("as_strings", [False, True])
def test_a_transaction_id_above_2_53_survives_exactly(client, merchant, pay_url, state,
                                                      as_strings):
    requests.post(f"{pay_url}/_emulator/config", json={"ids_as_strings": as_strings}, timeout=5)
    body = json.dumps(payment(merchant, order_id="RAW").to_body())
    raw = signed(pay_url, "POST", "/v3/payments/request", body)
    wire_id = re.search(r'"transactionId": ("?)(\d{19})("?)', raw)
    assert wire_id.group(1) == wire_id.group(3) == ('"' if as_strings else "")
    assert float(wire_id.group(2)) != int(wire_id.group(2))  # a float would lose digits

    answer = client.request_payment(payment(merchant, order_id="EXACT"))
    issued = [t.transaction_id for t in state.transactions.values() if t.order_id == "EXACT"]
    assert issued == [answer.transaction_id] and answer.transaction_id > 2 ** 53
    press(answer.payment_url_web, "approve")
    assert merchant.confirms[-1][0] == ("transactionId", str(answer.transaction_id))
    assert client.confirm(answer.transaction_id, 100).transaction_id == answer.transaction_id


@pytest.mark.parametrize("mode", ["500", "timeout"])
def test_a_lost_confirm_answer_is_found_by_check(client, merchant, pay_url, mode):
    requests.post(f"{pay_url}/_emulator/config", timeout=5,
                  json={"drop_confirm_answers": 1, "drop_mode": mode, "hang_seconds": 1.0})
    client.timeout = 0.3
    answer = client.request_payment(payment(merchant))
    press(answer.payment_url_web, "approve")
    with pytest.raises(LinePayConnectionError):
        client.confirm(answer.transaction_id, 100)
    assert client.check(answer.transaction_id).is_completed
