"""Numbers that overflow: capped order totals, ASCII-only digits, bounded nesting — no 500s."""
import pytest

from sandbox.line_webhook_sender import sign
from tests.support.messages import actions, all_text
from tests.support.settings import CHANNEL_SECRET


def no_failed_events(shop):
    return not shop.sql("SELECT 1 FROM inbox WHERE last_error IS NOT NULL OR status <> 'done'")


def test_an_order_beyond_what_the_bank_takes_is_refused_before_stock_moves(shop):
    shop.add_product(1, "金條", 10_000_000, 500)
    buyer = shop.buyer()
    shop.text(buyer, "cart 1 300")
    replies = shop.postback(buyer, "action=buy")
    assert "超過銀行單筆付款上限 NT$9999999" in all_text(replies)
    assert shop.sql("SELECT 1 FROM orders") == [] and shop.stock(1) == 500
    assert shop.sql("SELECT quantity FROM cart_items") == [{"quantity": 300}]
    assert no_failed_events(shop)  # answered once, not retried


def test_an_order_over_the_atm_limit_offers_only_the_card_and_atm_is_refused_clearly(shop):
    shop.add_product(1, "茶具組", 20_000, 5)
    buyer = shop.buyer()
    shop.text(buyer, "cart 1 2")
    card = shop.postback(buyer, "action=buy")[-1]
    datas = [a.get("data") for a in actions(card)]
    assert not any("method=atm" in (d or "") for d in datas)
    assert any("method=card" in (d or "") for d in datas)
    order_id = shop.sql("SELECT id FROM orders")[0]["id"]
    replies = shop.pay_with(buyer, order_id, "atm")
    assert "ATM 轉帳單筆上限為 NT$30000" in all_text(replies)
    assert shop.attempts(order_id) == [] and not shop.bank.orders  # the bank was never asked
    shop.pay_with(buyer, order_id, "card")
    assert [a["status"] for a in shop.attempts(order_id)] == ["open"]


@pytest.mark.parametrize("command", ["cart ፩ 1", "cart 1 ፩", "cart ١ 1", "cart 1 +٣",
                                     "cart 1 9999999999", "cart 99999999999 1"])
def test_digits_other_than_ascii_or_huge_numbers_in_chat_get_the_usage(shop, command):
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.shopper()
    assert "cart 商品編號 數量" in all_text(shop.text(user, command))
    assert shop.sql("SELECT 1 FROM cart_items") == []
    assert no_failed_events(shop)


@pytest.mark.parametrize("data", ["action=add&product=²", "action=detail&product=፩",
                                  "action=products&page=99999999999999999999"])
def test_odd_digits_in_postbacks_are_a_stale_button(shop, data):
    user = shop.shopper()
    assert "按鈕已經失效" in all_text(shop.postback(user, data))
    assert no_failed_events(shop)


@pytest.mark.parametrize("depth", [40, 900, 100_000])
def test_deeply_nested_signed_json_is_a_400(shop, depth):
    nested = "[" * depth + "]" * depth
    body = ('{"destination":"U0","events":[{"type":"message","webhookEventId":"01DEEP",'
            f'"x":{nested}}}]}}').encode()
    response = shop.app.test_client().post(
        "/callback", data=body, headers={"Content-Type": "application/json",
                                         "X-Line-Signature": sign(CHANNEL_SECRET, body)})
    assert response.status_code == 400
    assert shop.sql("SELECT 1 FROM inbox") == []
