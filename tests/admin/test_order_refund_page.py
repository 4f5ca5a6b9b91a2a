"""The refund form on the order page: a card refund through the bank, an ATM transfer recorded."""
import re

import requests

from tests.support.admin import pay_order, place_order
from tests.admin.test_order_refunds import bank_refunds, card_order
from tests.support.messages import message_text

KEY = re.compile(r'name="refund_key" value="([^"]+)"')


def page(admin, order_id) -> str:
    return admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)


def test_the_owner_refunds_part_of_a_card_order_from_its_page(shop, admin):
    shopper, order_id, order_no = card_order(shop)
    before = page(admin, order_id)
    assert "經銀行退款到信用卡" in before and "留白＝全部可退 NT$1,000" in before
    answer = admin.post(f"/admin/orders/{order_id}/refund", {
        "amount": "300", "reason": "少一件", "restock": "1",
        "refund_key": KEY.search(before).group(1)})
    assert answer.status_code == 303
    after = page(admin, order_id)
    assert f"訂單 #{order_id} 已退款 NT$300，2 件商品已退回庫存，並已通知顧客。" in after
    assert "已付 NT$1,000・已退 NT$300・可退 NT$700" in after and "部分退款" in after
    assert "信用卡（銀行退款）" in after and "少一件" in after
    assert "標記已出貨並通知顧客" not in after   # its stock went back on sale
    assert bank_refunds(shop, order_no) == [300] and shop.stock(1) == 10
    assert message_text(shop.bot_messages(shopper)[-1]).startswith(
        f"💸 訂單 #{order_id} 已退款 NT$300")


def test_the_same_form_sent_twice_refunds_once(shop, admin):
    shopper, order_id, order_no = card_order(shop)
    form = {"amount": "300", "reason": "", "refund_key": KEY.search(page(admin, order_id)).group(1)}
    admin.post(f"/admin/orders/{order_id}/refund", form)
    told = len(shop.bot_messages(shopper))
    admin.post(f"/admin/orders/{order_id}/refund", form)
    assert bank_refunds(shop, order_no) == [300]
    assert shop.sql("SELECT count(*) AS n FROM refunds")[0]["n"] == 1
    assert len(shop.bot_messages(shopper)) == told


def test_a_refused_or_oversized_refund_is_explained_and_changes_nothing(shop, admin):
    _, order_id, order_no = card_order(shop)
    admin.post(f"/admin/orders/{order_id}/refund", {"amount": "1001"})
    assert "最多可退 NT$1000" in page(admin, order_id)
    admin.post(f"/admin/orders/{order_id}/refund", {"amount": "三百"})
    assert "退款金額須為正整數" in page(admin, order_id)
    requests.post(shop.bank.url + "/_emulator/config", timeout=5, json={
        "refuse_next": 1, "refuse_description": "E0999 – 發卡行拒絕退款"}).raise_for_status()
    admin.post(f"/admin/orders/{order_id}/refund", {"amount": ""})
    refused = page(admin, order_id)
    assert "銀行拒絕退款：E0999 – 發卡行拒絕退款" in refused and "可退 NT$1,000" in refused
    assert bank_refunds(shop, order_no) == []


def test_an_atm_order_page_records_the_owners_transfer(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 2)
    order_no = pay_order(shop, shopper, order_id)
    before = page(admin, order_id)
    assert "ATM 付款無法經銀行線上退款" in before and "轉帳備註" in before
    admin.post(f"/admin/orders/{order_id}/refund", {"amount": "", "note": "12/01 已匯款"})
    after = page(admin, order_id)
    assert "已退 NT$200・可退 NT$0" in after and "已全額退款" in after
    assert "銀行轉帳（手動）" in after and "12/01 已匯款" in after
    assert "記錄已轉帳退款" not in after
    assert bank_refunds(shop, order_no) == []
    assert "商店已用銀行轉帳匯還給您" in message_text(shop.bot_messages(shopper)[-1])
