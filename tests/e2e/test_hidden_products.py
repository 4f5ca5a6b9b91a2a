"""A product the owner hides never blocks a cart: it shows as unavailable and can be removed."""
import pytest

from tests.support.messages import actions, all_text, message_text


def cart_rows(shop, user_id):
    return {row["product_id"]: row["quantity"] for row in shop.sql(
        "SELECT product_id, quantity FROM cart_items WHERE user_id = %s", (user_id,))}


def hide(shop, product_id):
    shop.sql("UPDATE products SET active = false WHERE id = %s", (product_id,))


@pytest.fixture
def cart_with_hidden_line(shop):
    """A buyer with 烏龍茶 × 2 and 芒果乾 × 1 in the cart; then the owner hides 芒果乾."""
    shop.add_product(1, "烏龍茶", 100, 10)
    shop.add_product(2, "芒果乾", 250, 10)
    user = shop.buyer()
    shop.text(user, "cart 1 2")
    shop.text(user, "cart 2 1")
    hide(shop, 2)
    return user


@pytest.mark.parametrize("how", ["postback", "text"])
def test_a_hidden_products_line_can_always_be_removed(shop, cart_with_hidden_line, how):
    user = cart_with_hidden_line
    if how == "postback":
        replies = shop.postback(user, "action=remove&product=2")
    else:
        replies = shop.text(user, "cart 2 0")
    assert "已從購物車移除：芒果乾" in all_text(replies)
    assert "找不到商品" not in all_text(replies)
    assert cart_rows(shop, user) == {1: 2}


def test_a_hidden_product_cannot_be_increased_but_says_why(shop, cart_with_hidden_line):
    user = cart_with_hidden_line
    replies = shop.postback(user, "action=inc&product=2")
    assert "芒果乾 已下架" in all_text(replies)
    assert cart_rows(shop, user) == {1: 2, 2: 1}


def test_the_cart_card_greys_an_unavailable_line_and_offers_only_remove(shop,
                                                                        cart_with_hidden_line):
    card = shop.text(cart_with_hidden_line, "購物車")[-1]
    text = message_text(card)
    assert "芒果乾" in text and "已下架" in text
    datas = [a.get("data") for a in actions(card)]
    assert "action=remove&product=2" in datas
    assert "action=inc&product=2" not in datas and "action=dec&product=2" not in datas
    assert "action=inc&product=1" in datas
    assert "NT$200" in text and "NT$450" not in text  # only what can be ordered counts


def test_checkout_names_unavailable_lines_and_drops_them_on_request(shop, cart_with_hidden_line):
    user = cart_with_hidden_line
    replies = shop.postback(user, "action=buy")
    assert "芒果乾 已下架" in all_text(replies)
    assert not shop.sql("SELECT 1 FROM orders") and shop.stock(1) == 10
    drop = [a for m in replies for a in actions(m) if a.get("data") == "action=drop_unavailable"]
    assert drop, "checkout offers to drop the unavailable lines"
    replies = shop.postback(user, drop[0]["data"])
    assert "已從購物車移除：芒果乾" in all_text(replies)
    assert cart_rows(shop, user) == {1: 2}
    shop.postback(user, "action=buy")
    assert [row["total"] for row in shop.sql("SELECT total FROM orders")] == [200]
    assert shop.stock(1) == 8 and shop.stock(2) == 10


def test_a_hidden_product_not_in_the_cart_stays_unknown(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    hide(shop, 1)
    user = shop.shopper()
    assert "找不到商品 #1" in message_text(shop.text(user, "cart 1 0")[-1])
    assert "找不到商品 #1" in message_text(shop.postback(user, "action=detail&product=1")[-1])
