"""The two doors from outside: LINE's webhook and the bank's notification, at their edges."""
import json
import time

import pytest
import responses

from sandbox.line_webhook_sender import sign
from sinopac import crypto
from tests.support.messages import all_text, message_text
from tests.support.settings import CHANNEL_SECRET, HASH_KEYS, SHOP_NO


def post_webhook(shop, body: bytes, signature=None, content_type="application/json; charset=utf-8"):
    headers = {"Content-Type": content_type}
    if signature is not False:
        headers["X-Line-Signature"] = sign(CHANNEL_SECRET, body) if signature is None else signature
    return shop.app.test_client().post("/callback", data=body, headers=headers)


def text_event(user_id="U" + "0" * 32, text="商品", event_id="01JABCDEFGHJKMNPQRSTVWXYZ0"):
    return {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user_id}, "webhookEventId": event_id,
            "deliveryContext": {"isRedelivery": False}, "replyToken": "f" * 32,
            "message": {"id": "1", "type": "text", "text": text, "quoteToken": "q"}}


def inbox_count(shop):
    return shop.sql("SELECT count(*) AS n FROM inbox")[0]["n"]


def test_empty_events_verify_answers_200(shop):
    assert shop.line.webhook.send_verify().status == 200


@pytest.mark.parametrize("signature", [False, "", "bm90IGEgc2lnbmF0dXJl", "x" * 44])
def test_bad_or_missing_signature_is_refused_and_nothing_stored(shop, signature):
    body = json.dumps({"destination": "U1", "events": [text_event()]}, ensure_ascii=False).encode()
    assert post_webhook(shop, body, signature=signature).status_code == 400
    assert inbox_count(shop) == 0


def test_body_signed_then_altered_is_refused(shop):
    body = json.dumps({"destination": "U1", "events": [text_event()]}, ensure_ascii=False).encode()
    signature = sign(CHANNEL_SECRET, body)
    altered = body.replace("商品".encode(), "訂單".encode())
    assert post_webhook(shop, altered, signature=signature).status_code == 400


def test_wrong_content_type_and_huge_bodies_are_refused_before_parsing(shop):
    body = json.dumps({"destination": "U1", "events": [text_event()]}, ensure_ascii=False).encode()
    assert post_webhook(shop, body, content_type="text/plain").status_code == 415
    huge = b'{"events":[],"pad":"' + b"x" * (3 * 1024 * 1024) + b'"}'
    assert post_webhook(shop, huge).status_code == 413
    assert inbox_count(shop) == 0


@pytest.mark.parametrize("payload", [b"not json", b"[]", b'{"events": {}}',
                                     b'{"events": [{"type": "message"}]}'])
def test_signed_garbage_is_refused_not_crashed(shop, payload):
    assert post_webhook(shop, payload).status_code == 400


def test_a_text_with_a_nul_character_is_stored_and_answered(shop):
    user = shop.buyer()
    replies = shop.text(user, "hello\x00world")
    assert "helloworld" in message_text(replies[-1])


def test_redelivered_event_is_handled_once(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.buyer()
    shop.text(user, "cart 1 +1")
    event_id = shop.sql("SELECT webhook_event_id FROM inbox")[0]["webhook_event_id"]
    assert shop.line.webhook.redeliver(event_id).status == 200
    shop.work()
    assert shop.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 1
    assert inbox_count(shop) == 1


def test_webhook_answers_at_once_while_the_bank_is_slow(make_shop):
    shop = make_shop(WORKER_THREADS=2)
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    shop.line.webhook.send_text(user, "cart 1 1")
    assert shop.wait_until(lambda: len(shop.bot_messages(user)) >= 1)
    shop.line.webhook.send_postback(user, "action=buy")
    assert shop.wait_until(lambda: shop.sql("SELECT 1 FROM orders"))
    shop.bank.latency = 2.5
    delivery = shop.line.webhook.send_postback(user, "action=pay&order=1&method=atm")
    assert delivery.ok and delivery.latency_ms < 1000  # the bank takes 2.5 s
    assert shop.wait_until(lambda: "虛擬帳號" in all_text(shop.bot_messages(user)), timeout=10)


def test_notice_for_another_shop_or_without_token_changes_nothing(shop):
    client = shop.app.test_client()
    assert client.post("/sinopac/notify", json={"ShopNo": "XX0000_001", "PayToken": "a" * 64}
                       ).get_json()["Status"] == "F"
    assert client.post("/sinopac/notify", json={"ShopNo": SHOP_NO}).status_code == 400
    assert client.post("/sinopac/notify", data="{oops", content_type="application/json"
                       ).status_code == 400


def _signed_pay_query_response(inner_status="S", tamper=False):
    hash_id = crypto.hash_id(*HASH_KEYS)
    nonce = ("NjM3Njc5NTg1MTE2NjUuNDozZGE0ODA2YmEyZGJmYjMyMDg4ODg3YjNkMmNiNmE2YjU5"
             "OWNhZjNhZmEzYWVlZGYwM2U5M2Y3Y2UyOWYyY2Yy")
    message = {"ShopNo": SHOP_NO, "PayToken": "a" * 64, "Date": "202611241200", "Status": "S",
               "Description": "S0000 – 處理成功",
               "TSResultContent": {"APType": "PayOut", "TSNo": "NA024900000001",
                                   "OrderNo": "ORDERNO", "ShopNo": SHOP_NO, "PayType": "A",
                                   "Amount": "45000", "Status": inner_status, "Description": "",
                                   "PayDate": "202611241200"}}
    signature = crypto.sign(message, nonce, hash_id)
    if tamper:
        signature = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    return {"Version": "1.0.0", "ShopNo": SHOP_NO, "APIService": "OrderPayQuery",
            "Sign": signature, "Nonce": nonce,
            "Message": crypto.encrypt(crypto.dumps(message), hash_id, nonce)}


def test_notice_whose_result_does_not_verify_changes_nothing(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    order_no = shop.attempts(order_id)[0]["order_no"]
    forged = _signed_pay_query_response(tamper=True)
    forged_message = json.loads(crypto.decrypt(forged["Message"], crypto.hash_id(*HASH_KEYS),
                                               forged["Nonce"]))
    forged_message["TSResultContent"]["OrderNo"] = order_no
    response = shop.app.test_client().post(
        "/sinopac/notify", json={"ShopNo": SHOP_NO, "PayToken": "a" * 64})
    assert response.get_json()["Status"] == "S"  # stored; the worker asks the bank
    with responses.RequestsMock() as bank:
        bank.post(f"{shop.bank.url}/api/Nonce", json={"Nonce": "bm9uY2U="})
        bank.post(f"{shop.bank.url}/api/Order", json=forged)
        shop.work()
    assert shop.sql("SELECT status FROM bank_notices")[0]["status"] == "dead"
    assert shop.order(order_id)["status"] == "pending"
    assert shop.attempts(order_id)[0]["status"] == "open"


def test_return_page_says_paid_or_not(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "card")
    order_no = shop.attempts(order_id)[0]["order_no"]
    client = shop.app.test_client()
    shop.bank_pays(order_no, decline=True)
    declined = shop.bank.latest_payment(order_no).pay_token
    page = client.post("/sinopac/return", data={"ShopNo": SHOP_NO, "PayToken": declined})
    assert "尚未完成付款" in page.get_data(as_text=True)
    shop.bank_pays(order_no)
    paid = shop.bank.latest_payment(order_no).pay_token
    page = client.post("/sinopac/return", data={"ShopNo": SHOP_NO, "PayToken": paid})
    assert "付款成功" in page.get_data(as_text=True) and "回到 LINE" in page.get_data(as_text=True)
    assert "尚未完成付款" in client.get("/sinopac/return").get_data(as_text=True)


def test_bank_down_while_creating_a_payment_keeps_the_order_payable(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.bank.fail_next, shop.bank.fail_mode = 10, "500"
    assert "銀行暫時沒有回應" in message_text(shop.pay_with(user, order_id, "atm")[-1])
    assert shop.order(order_id)["status"] == "pending"
    shop.bank.fail_next = 0
    assert "虛擬帳號" in all_text(shop.pay_with(user, order_id, "atm"))


def test_healthz(shop):
    assert shop.app.test_client().get("/healthz").get_json() == {"status": "ok"}
