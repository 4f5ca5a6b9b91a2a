"""Shoppers browse with Flex cards and quick replies; LINE accepts every answer."""
import pytest
import requests

from handlers.rich_menu import setup_rich_menu
from sandbox.line_validator import validate_messages
from tests.support.messages import actions, message_text


def assert_line_accepted_everything(shop, messages):
    assert validate_messages(messages) == []
    assert shop.line.stats()["errors"] == 0, shop.line.stats()["last_errors"]


def add_catalog(shop, count):
    for i in range(1, count + 1):
        shop.add_product(i, name=f"台灣好物 {i} 號", price=100 + i, stock=i % 3,
                         image_url=f"https://shop.example.com/static/products/{i}.png")


@pytest.mark.parametrize("count", [1, 12, 100])
def test_the_catalog_comes_as_product_cards_line_accepts(shop, count):
    add_catalog(shop, count)
    uid = shop.shopper()
    answer = shop.text(uid, "商品")
    assert_line_accepted_everything(shop, answer)
    assert answer[0]["type"] == "flex" and answer[0]["contents"]["type"] == "carousel"
    seen = [b for b in answer[0]["contents"]["contents"] if "hero" in b]
    page = 1
    while f"action=products&page={page + 1}" in [a.get("data") for a in actions(answer[0])]:
        page += 1
        answer = shop.postback(uid, f"action=products&page={page}")
        assert_line_accepted_everything(shop, answer)
        seen += [b for b in answer[0]["contents"]["contents"] if "hero" in b]
    assert len(seen) == count
    assert page == -(-count // 10)


def test_tapping_add_and_details_on_a_card(shop):
    shop.add_product(1, name="鳳梨酥禮盒", price=360, stock=5)
    shop.sql("UPDATE products SET description = '土鳳梨內餡，一盒 10 入。' WHERE id = 1")
    uid = shop.shopper()
    detail = shop.postback(uid, "action=detail&product=1")
    assert "土鳳梨內餡" in message_text(detail[0])
    added = shop.postback(uid, "action=add&product=1")
    assert_line_accepted_everything(shop, added)
    assert "鳳梨酥禮盒 × 1" in message_text(added[0])
    card = added[-1]
    assert card["type"] == "flex"
    data = [a["data"] for a in actions(card) if a["type"] == "postback"]
    assert data == ["action=dec&product=1", "action=inc&product=1", "action=remove&product=1",
                    "action=buy"]
    shop.postback(uid, "action=inc&product=1")
    shop.postback(uid, "action=inc&product=1")
    shop.postback(uid, "action=dec&product=1")
    assert shop.sql("SELECT quantity FROM cart_items WHERE user_id = %s", (uid,)) == [
        {"quantity": 2}]
    shop.postback(uid, "action=remove&product=1")
    assert shop.sql("SELECT * FROM cart_items WHERE user_id = %s", (uid,)) == []


def test_typed_commands_still_work_and_every_answer_has_quick_replies(shop):
    shop.add_product(1, price=100, stock=5)
    uid = shop.shopper()
    for said in ("cart 1 2", "購物車", "訂單", "說明", "hello?"):
        answer = shop.text(uid, said)
        assert_line_accepted_everything(shop, answer)
        labels = [i["action"]["label"] for i in answer[-1]["quickReply"]["items"]]
        assert {"商品", "結帳", "訂單", "說明"} <= set(labels)
    assert shop.sql("SELECT quantity FROM cart_items WHERE user_id = %s", (uid,)) == [
        {"quantity": 2}]


def test_help_and_unknown_text(shop):
    uid = shop.shopper()
    assert "收件 王小明 0912345678" in message_text(shop.text(uid, "說明")[0])
    assert "使用說明" in message_text(shop.text(uid, "help")[0])
    hint = message_text(shop.text(uid, "我想買東西")[0])
    assert "我看不懂「我想買東西」" in hint and "說明" in hint


def test_an_english_speaking_shopper_reads_english_cards(shop):
    shop.add_product(1, price=100, stock=0)
    uid = shop.shopper("Amy", "en")
    shop.follow(uid)
    text = message_text(shop.text(uid, "products")[0])
    assert "Sold out" in text and "Details" in text


def test_setup_richmenu_creates_uploads_and_sets_the_default(shop):
    result = shop.app.test_cli_runner().invoke(args=["setup-richmenu"])
    assert result.exit_code == 0, result.output
    menu_id = shop.line.default_rich_menu_id
    assert menu_id and menu_id in result.output
    menu = shop.line.rich_menu(menu_id)
    assert menu.image_type == "image/png" and len(menu.image) <= 1024 * 1024
    assert [a["action"]["text"] for a in menu.menu["areas"]] == ["商品", "購物車", "訂單", "說明"]
    assert shop.line.stats()["errors"] == 0


def test_a_second_setup_makes_a_new_default(shop):
    first = setup_rich_menu(shop.rt.messenger.api_client, "小舖", 3)
    second = setup_rich_menu(shop.rt.messenger.api_client, "小舖", 3)
    assert first != second and shop.line.default_rich_menu_id == second


def test_the_bot_serves_placeholder_pictures_for_its_products(shop):
    shop.add_product(1, name="鳳梨酥禮盒")
    response = requests.get(f"{shop.url}/static/products/1.png", timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert requests.get(f"{shop.url}/static/products/99.png", timeout=5).status_code == 404


def test_a_hidden_products_picture_and_name_are_not_served(shop):
    shop.add_product(1, name="下季新品（未公開）")
    shop.sql("UPDATE products SET active = false WHERE id = 1")
    response = requests.get(f"{shop.url}/static/products/1.png", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"] != "image/png"
