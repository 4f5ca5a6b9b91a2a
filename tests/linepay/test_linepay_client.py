"""LinePayClient against LINE Pay faked at the HTTP edge with `responses`."""
import json
import logging

import pytest
import requests
import responses

from linepay import (LinePayAnswerError, LinePayClient, LinePayConnectionError,
                     LinePayRejectedError, Package, PaymentRequest, Product, signing)
from linepay.client import DEFAULT_TIMEOUTS

BASE = "https://sandbox-api-pay.line.me"
CHANNEL_ID = "1656000000"
SECRET = "a917ab6a2367b536f8e5a6e2977e06f4"
NONCE = "44453d45-768e-40e8-8349-748e797c450f"
BIG_ID = 2021121600698709710  # > 2**53: a float would turn it into …709696
# The §2.3 vector body and its hand-computed signature (see test_linepay_signing.py).
VECTOR_BODY = ('{"amount":100,"currency":"TWD","orderId":"ORDER-1","packages":[{"id":"P1",'
               '"amount":100,"products":[{"name":"測試","quantity":2,"price":50}]}],'
               '"redirectUrls":{"confirmUrl":"https://shop.example/confirm",'
               '"cancelUrl":"https://shop.example/cancel"}}')
VECTOR_SIGNATURE = "epS3mw68EZIRGgLKizqE/RmS3UnSIjQJ2p9tlKMvBqM="


@pytest.fixture
def rsps():
    with responses.RequestsMock() as mock:
        yield mock


@pytest.fixture
def client():
    linepay = LinePayClient(BASE + "/", CHANNEL_ID, SECRET, timeout=2.0)
    linepay.retry_backoff = 0
    return linepay


def vector_request():
    return PaymentRequest(order_id="ORDER-1", amount=100,
                          packages=(Package("P1", (Product("測試", 2, 50),)),),
                          confirm_url="https://shop.example/confirm",
                          cancel_url="https://shop.example/cancel")


def answer_body(transaction_id_text: str) -> bytes:
    """A request-payment answer with transactionId written exactly as given."""
    return ('{"returnCode":"0000","returnMessage":"Success.","info":{"paymentUrl":'
            '{"web":"https://sandbox-web-pay.line.me/web/payment/wait?transactionReserveId=x",'
            '"app":"line://pay/payment/x"},"transactionId":' + transaction_id_text
            + ',"paymentAccessToken":"187568751124"}}').encode()


def test_request_payment_sends_the_signed_bytes_and_keeps_a_big_transaction_id_exact(
        rsps, client, monkeypatch):
    monkeypatch.setattr(signing, "new_nonce", lambda: NONCE)
    rsps.add(responses.POST, f"{BASE}/v3/payments/request", body=answer_body(str(BIG_ID)))
    answer = client.request_payment(vector_request())
    sent = rsps.calls[0].request
    assert sent.body == VECTOR_BODY.encode("utf-8")
    assert sent.headers["X-LINE-Authorization"] == VECTOR_SIGNATURE
    assert sent.headers["X-LINE-ChannelId"] == CHANNEL_ID
    assert sent.headers["X-LINE-Authorization-Nonce"] == NONCE
    assert answer.transaction_id == BIG_ID and type(answer.transaction_id) is int
    assert answer.payment_url_web.startswith("https://sandbox-web-pay.line.me/")
    assert answer.payment_url_app == "line://pay/payment/x"
    assert answer.payment_access_token == "187568751124"


def test_a_transaction_id_sent_as_a_json_string_is_kept_exact(rsps, client):
    rsps.add(responses.POST, f"{BASE}/v3/payments/request", body=answer_body(f'"{BIG_ID}"'))
    assert client.request_payment(vector_request()).transaction_id == BIG_ID


def test_a_transaction_id_that_went_through_a_float_is_refused(rsps, client):
    rsps.add(responses.POST, f"{BASE}/v3/payments/request",
             body=answer_body("2.0211216006987098e18"))
    with pytest.raises(LinePayAnswerError, match="transactionId"):
        client.request_payment(vector_request())


def test_amounts_that_do_not_add_up_are_refused_before_sending():
    with pytest.raises(ValueError, match="Σ packages"):
        PaymentRequest(order_id="O", amount=99, packages=(Package("P1", (Product("x", 2, 50),)),),
                       confirm_url="https://s/c", cancel_url="https://s/x")


@pytest.mark.parametrize("code, words", [
    ("1172", "orderId was requested before"), ("1165", "already refunded"),
    ("1153", "amount differs"), ("1150", "transaction not found"),
    ("1155", "cannot be refunded"), ("1285", "credit card error"),
])
def test_known_return_codes_become_clear_errors(rsps, client, code, words):
    rsps.add(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/refund",
             json={"returnCode": code, "returnMessage": "LINE Pay says no"})
    with pytest.raises(LinePayRejectedError) as error:
        client.refund(BIG_ID)
    assert error.value.return_code == code
    assert words in str(error.value) and "LINE Pay says no" in str(error.value)
    assert str(BIG_ID) in str(error.value)


def test_full_refund_sends_braces_and_partial_sends_the_amount(rsps, client):
    answer = {"returnCode": "0000", "info": {"refundTransactionId": BIG_ID + 1,
                                             "refundTransactionDate": "2026-12-01T09:00:00Z"}}
    rsps.add(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/refund", json=answer)
    assert client.refund(BIG_ID).refund_transaction_id == BIG_ID + 1
    client.refund(BIG_ID, 30)
    assert [json.loads(call.request.body) for call in rsps.calls] == [{}, {"refundAmount": 30}]


def test_check_is_retried_after_a_connection_error(rsps, client):
    url = f"{BASE}/v3/payments/requests/{BIG_ID}/check"
    rsps.add(responses.GET, url, body=requests.ConnectionError("reset"))
    rsps.add(responses.GET, url, json={"returnCode": "0110", "returnMessage": "authorized"})
    answer = client.check(BIG_ID)
    assert answer.is_authorized and not answer.is_completed
    nonces = {call.request.headers["X-LINE-Authorization-Nonce"] for call in rsps.calls}
    assert len(rsps.calls) == 2 and len(nonces) == 2  # a retry signs with a fresh nonce


def test_check_answers_are_states_not_errors(rsps, client):
    url = f"{BASE}/v3/payments/requests/{BIG_ID}/check"
    for code in ("0000", "0121", "0123"):
        rsps.add(responses.GET, url, json={"returnCode": code})
    assert client.check(BIG_ID).is_reserved
    assert client.check(BIG_ID).is_final_failure
    assert client.check(BIG_ID).is_completed
    assert rsps.calls[0].request.body is None


def test_confirm_is_not_retried_after_a_timeout(rsps, client):
    rsps.add(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/confirm",
             body=requests.ReadTimeout("slow"))
    with pytest.raises(LinePayConnectionError) as error:
        client.confirm(BIG_ID, 100)
    assert len(rsps.calls) == 1
    assert error.value.transaction_id == BIG_ID


def test_an_http_error_or_a_non_json_answer_is_a_connection_error(rsps, client):
    rsps.add(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/confirm", status=502, body="bad")
    rsps.add(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/confirm", body="<html>")
    with pytest.raises(LinePayConnectionError, match="HTTP 502"):
        client.confirm(BIG_ID, 100)
    with pytest.raises(LinePayConnectionError, match="non-JSON") as error:
        client.confirm(BIG_ID, 100)
    assert error.value.should_retry is False


def test_without_a_timeout_each_call_waits_as_long_as_line_pay_asks(rsps):
    seen = []
    rsps.add_callback(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/confirm",
                      callback=lambda req: (seen.append(req.req_kwargs["timeout"]) or
                                            (200, {}, '{"returnCode":"1169"}')))
    with pytest.raises(LinePayRejectedError):
        LinePayClient(BASE, CHANNEL_ID, SECRET).confirm(BIG_ID, 100)
    assert seen == [DEFAULT_TIMEOUTS["confirm"]] == [40.0]


def test_the_secret_never_shows_in_repr_errors_or_logs(rsps, client, caplog):
    caplog.set_level(logging.DEBUG)
    rsps.add(responses.POST, f"{BASE}/v3/payments/{BIG_ID}/confirm",
             json={"returnCode": "1153", "returnMessage": "amount differs"})
    with pytest.raises(LinePayRejectedError) as error:
        client.confirm(BIG_ID, 100)
    signature = rsps.calls[0].request.headers["X-LINE-Authorization"]
    shown = " ".join([repr(client), repr(error.value),
                      str(error.value), caplog.text])
    assert SECRET not in shown and signature not in shown
    assert f"event=linepay_call api=confirm transaction_id={BIG_ID}" in caplog.text
