"""News for shoppers leaves right after the commit that made it, and never holds up the bank."""
import time

import pytest

from tests.support.messages import all_text
from tests.support.settings import SHOP_NO

EXPIRED = "已超過付款期限"


def overdue_order(shop) -> str:
    """Amy holds the last unit in an order past its deadline; returns her user id."""
    shop.add_product(1, "烏龍茶", 450, 1)
    amy = shop.buyer("Amy")
    shop.checkout(amy, p1=1)
    shop.sql("UPDATE orders SET expires_at = now() - interval '1 minute'")
    return amy


def browse(shop, bob):
    shop.text(bob, "商品")


def add_to_cart(shop, bob):
    shop.text(bob, "cart 1 1")


def check_out(shop, bob):
    shop.sql("INSERT INTO cart_items (user_id, product_id, quantity) VALUES (%s, 1, 1)", (bob,))
    shop.postback(bob, "action=buy")


def sweep(shop, bob):
    shop.app.test_cli_runner().invoke(args=["expire-orders"])


@pytest.mark.parametrize("path", [browse, add_to_cart, check_out, sweep])
def test_an_expiry_notice_reaches_the_shopper_within_a_second_of_the_sweep(shop, path):
    amy = overdue_order(shop)
    bob = shop.buyer("Bob")
    started = time.monotonic()
    path(shop, bob)
    assert shop.wait_until(lambda: EXPIRED in all_text(shop.bot_messages(amy)), timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert shop.order(1)["status"] == "expired"


def test_the_bank_notice_is_answered_while_line_hangs(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    amy = shop.buyer("Amy")
    order_id = shop.checkout(amy, p1=1)
    shop.pay_with(amy, order_id, "atm")
    order_no = shop.attempts(order_id)[0]["order_no"]
    shop.bank.notify_attempts = 0  # we post the notice ourselves, to time the answer
    shop.bank.pay(order_no)
    shop.line.fail_next, shop.line.fail_mode = 1, "hang"
    started = time.monotonic()
    answer = shop.app.test_client().post(
        "/sinopac/notify", json={"ShopNo": SHOP_NO, "PayToken": shop.bank.latest_payment(order_no).pay_token})
    assert answer.get_json() == {"Status": "S"} and time.monotonic() - started < 1.0
    assert shop.order(order_id)["status"] == "paid"
    assert "已收到訂單" not in all_text(shop.bot_messages(amy))  # LINE still hangs
    shop.line.hang_released.set()
    assert shop.wait_until(lambda: "已收到訂單" in all_text(shop.bot_messages(amy)))
