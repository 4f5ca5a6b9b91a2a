"""Browsing and the cart, as a shopper types them in LINE."""
import pytest

from tests.support.messages import actions, message_text


def cart_rows(shop, user_id):
    return {row["product_id"]: row["quantity"] for row in shop.sql(
        "SELECT product_id, quantity FROM cart_items WHERE user_id = %s", (user_id,))}


def test_product_list_shows_id_name_price_and_stock(shop):
    shop.add_product(1, "阿里山烏龍茶", 450, 20)
    shop.add_product(2, "芒果乾", 280, 0)
    user = shop.shopper()
    text = "\n".join(message_text(m) for m in shop.text(user, "商品"))
    assert "阿里山烏龍茶" in text and "450" in text and "20" in text
    assert "芒果乾" in text and "售完" in text


@pytest.mark.parametrize("word", ["products", "menu", "MENU"])
def test_english_command_words_work_too(shop, word):
    shop.add_product(1, "烏龍茶", 450, 20)
    assert "烏龍茶" in message_text(shop.text(shop.shopper(), word)[-1])


def test_cart_sets_changes_and_removes_lines(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.shopper()
    shop.text(user, "cart 1 3")
    assert cart_rows(shop, user) == {1: 3}
    shop.text(user, "cart 1 +2")
    assert cart_rows(shop, user) == {1: 5}
    replies = shop.text(user, "cart 1 -4")
    assert cart_rows(shop, user) == {1: 1}
    assert "NT$100" in "\n".join(message_text(m) for m in replies)
    shop.text(user, "cart 1 0")
    assert cart_rows(shop, user) == {}


def test_cart_shows_lines_total_and_order_button(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    shop.add_product(2, "芒果乾", 250, 10)
    user = shop.shopper()
    shop.text(user, "cart 1 2")
    shop.text(user, "cart 2 1")
    replies = shop.text(user, "購物車")
    text = "\n".join(message_text(m) for m in replies)
    assert "烏龍茶" in text and "芒果乾" in text and "450" in text
    assert any(a.get("data") == "action=buy" for m in replies for a in actions(m))


@pytest.mark.parametrize("command, expected", [
    ("cart 99 1", "找不到商品 #99"),
    ("cart 1 +20", "只剩 10 件"),
    ("cart 1 -5", "不能小於 0"),
    ("cart one 2", "cart 商品編號 數量"),
    ("cart 1 two", "cart 商品編號 數量"),
    ("cart 1", "cart 商品編號 數量"),
    ("cart 1 2 3", "cart 商品編號 數量"),
    ("cart 1 1.5", "cart 商品編號 數量"),
    ("cart 1 99999999999", "cart 商品編號 數量"),
])
def test_bad_cart_commands_explain_and_change_nothing(shop, command, expected):
    shop.add_product(1, "烏龍茶", 100, 10)
    user = shop.shopper()
    shop.text(user, "cart 1 2")
    replies = shop.text(user, command)
    assert expected in message_text(replies[-1])
    assert cart_rows(shop, user) == {1: 2}


def test_hidden_product_cannot_be_added(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    shop.sql("UPDATE products SET active = false WHERE id = 1")
    user = shop.shopper()
    assert "找不到商品 #1" in message_text(shop.text(user, "cart 1 1")[-1])


def test_empty_cart_says_so(shop):
    assert "購物車是空的" in message_text(shop.text(shop.shopper(), "cart")[-1])


def test_unknown_text_gets_a_hint(shop):
    assert "商品" in message_text(shop.text(shop.shopper(), "你好")[-1])


def test_one_shoppers_cart_is_not_anothers(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    amy, bob = shop.shopper("Amy"), shop.shopper("Bob")
    shop.text(amy, "cart 1 2")
    assert "購物車是空的" in message_text(shop.text(bob, "購物車")[-1])
