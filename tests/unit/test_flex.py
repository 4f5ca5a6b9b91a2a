"""Flex builders stay inside LINE's limits for any catalog and cart size."""
from datetime import datetime, timedelta, timezone

import pytest

from models import flex, messages
from models.events import HelpShown, OrderPlaced
from models.order import Totals, order_totals
from models.records import CartLine, Coupon, Product, Recipient
from providers.sinopac import ATM, CARD
from sandbox.line_validator import validate_messages

NOW = datetime(2025, 5, 1, 12, tzinfo=timezone.utc)


def catalog(count: int) -> list[Product]:
    return [Product(id=i, name=f"商品名稱很長的手工黑糖薑母茶 {i}" * (2 if i % 3 else 1),
                    price=100 + i, stock=i % 4, description="老薑與黑糖熬煮。" * 20,
                    image_url=f"https://shop.example.com/static/products/{i}.png")
            for i in range(1, count + 1)]


def bubbles(message: dict) -> list[dict]:
    return message["contents"]["contents"]


@pytest.mark.parametrize("count", [1, 12, 100])
def test_every_page_of_the_catalog_is_a_valid_carousel(count):
    products = catalog(count)
    pages = -(-count // flex.PAGE_SIZE)
    shown = []
    for page in range(1, pages + 1):
        answer = messages.with_quick_replies(messages.product_list(products, page, "zh-TW"),
                                             "zh-TW")
        assert validate_messages(answer) == []
        cards = bubbles(answer[0])
        assert len(cards) <= 12
        shown += [c for c in cards if "hero" in c]
    assert len(shown) == count


def test_a_long_catalog_pages_with_a_next_page_button():
    first = messages.product_list(catalog(12), 1, "zh-TW")[0]
    assert len(bubbles(first)) == 11
    paging = bubbles(first)[-1]
    data = [b["action"]["data"] for b in paging["footer"]["contents"]]
    assert data == ["action=products&page=2"]
    last = messages.product_list(catalog(12), 2, "zh-TW")[0]
    assert len(bubbles(last)) == 3  # 2 products + the paging bubble (previous page)


def test_a_product_card_shows_price_stock_and_its_two_buttons():
    card = flex.product_bubble(Product(7, "台南芒果乾", 280, 35), "zh-TW")
    texts = [c["text"] for c in card["body"]["contents"]]
    assert texts == ["台南芒果乾", "NT$280", "庫存 35"]
    assert [b["action"]["data"] for b in card["footer"]["contents"]] == [
        "action=add&product=7", "action=detail&product=7"]
    assert "hero" not in card  # no image_url, no picture


def test_a_sold_out_product_says_so_and_cannot_be_added():
    card = flex.product_bubble(Product(7, "芒果乾", 280, 0, "https://x.example/a.png"), "zh-TW")
    assert "售完" in [c["text"] for c in card["body"]["contents"]]
    assert [b["action"]["data"] for b in card["footer"]["contents"]] == ["action=detail&product=7"]
    assert card["hero"]["url"] == "https://x.example/a.png"


def test_an_http_image_is_left_out_because_line_would_reject_the_whole_message():
    card = flex.product_bubble(Product(7, "芒果乾", 280, 3, "http://127.0.0.1/a.png"), "zh-TW")
    assert "hero" not in card


def test_product_detail_shows_the_description():
    product = Product(3, "鳳梨酥禮盒", 360, 15, description="土鳳梨內餡，一盒 10 入。")
    answer = messages.product_detail(product, 2, "zh-TW")
    assert validate_messages(answer) == []
    texts = [c.get("text") for c in answer[0]["contents"]["body"]["contents"]]
    assert "土鳳梨內餡，一盒 10 入。" in texts and "購物車內已有 2 件" in texts


def lines(count: int) -> list[CartLine]:
    return [CartLine(product_id=i, name=f"手工黑糖薑母茶禮盒 {i}", price=220, quantity=i,
                     stock=99) for i in range(1, count + 1)]


def cart(cart_lines: list[CartLine], held: Coupon | None, language: str) -> list[dict]:
    return messages.cart(cart_lines, order_totals(cart_lines, held, NOW), held, language)


def coupon(**overrides) -> Coupon:
    return Coupon(**{"id": 1, "code": "F1", "kind": "amount", "value": 50, "min_spend": 300,
                     "expires_at": NOW + timedelta(days=30), **overrides})


@pytest.mark.parametrize("count", [1, 12, 100])
def test_the_cart_card_is_valid_for_any_number_of_lines(count):
    answer = cart(lines(count), coupon(), "zh-TW")
    assert validate_messages(answer) == []


def test_each_cart_line_has_minus_plus_and_remove():
    card = cart(lines(1), None, "zh-TW")[0]
    data = [a["data"] for a in _postbacks(card)]
    assert data == ["action=dec&product=1", "action=inc&product=1", "action=remove&product=1",
                    "action=buy"]


def test_the_cart_shows_the_coupon_discount_and_the_total_after_it():
    card = cart(lines(2), coupon(), "zh-TW")[0]  # 220 + 440 = 660
    text = _texts(card)
    assert "NT$660" in text and "−NT$50" in text and "NT$610" in text


def test_the_cart_says_how_much_more_unlocks_the_coupon():
    card = cart(lines(1), coupon(), "zh-TW")[0]  # 220 < 300
    assert "再買 NT$80" in _texts(card)


def test_an_expired_or_used_coupon_is_not_shown():
    for spent in (coupon(expires_at=NOW - timedelta(seconds=1)), coupon(used_at=NOW)):
        text = _texts(cart(lines(2), spent, "zh-TW")[0])
        assert "−NT$50" not in text and "NT$660" in text


def test_quick_replies_follow_the_cart_with_checkout_first():
    answer = cart(lines(1), None, "en")
    items = answer[-1]["quickReply"]["items"]
    assert [i["action"]["text"] for i in items][0] == "checkout"
    assert all(len(i["action"]["label"]) <= 20 for i in items) and len(items) <= 13


def test_the_order_card_shows_discount_and_recipient():
    answer = messages.order_created(OrderPlaced(
        "U1", 9, lines(2), Totals(660, 50, 610), NOW,
        Recipient("王小明", "0912345678", "台北市信義區市府路1號")), "zh-TW", (ATM, CARD))
    assert validate_messages(answer) == []
    text = _texts(answer[0])
    assert "−NT$50" in text and "NT$610" in text and "王小明" in text
    assert [a["data"] for a in _postbacks(answer[0])] == [
        "action=pay&order=9&method=atm", "action=pay&order=9&method=card", "action=cancel&order=9"]


def test_help_explains_every_command_in_both_languages():
    zh = messages.for_event(HelpShown("U1"), "zh-TW")[0]["text"]
    for word in ("商品", "購物車", "cart 1 2", "cart 1 +1", "收件", "結帳", "訂單", "折價券", "說明"):
        assert word in zh
    en = messages.for_event(HelpShown("U1"), "en-US")[0]["text"]
    for word in ("products", "cart 1 2", "address", "checkout", "orders", "coupon", "help"):
        assert word in en


def _postbacks(node) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "postback":
            found.append(node)
        for key, value in node.items():
            if key != "quickReply":
                found += _postbacks(value)
    elif isinstance(node, list):
        for item in node:
            found += _postbacks(item)
    return found


def _texts(node) -> str:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return "\n".join(own + [_texts(v) for v in node.values() if isinstance(v, (dict, list))])
    if isinstance(node, list):
        return "\n".join(_texts(v) for v in node)
    return ""
