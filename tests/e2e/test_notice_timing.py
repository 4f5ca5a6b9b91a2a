"""News for shoppers leaves right after the commit that made it, on whatever path found it."""
import pytest

from tests.support.messages import all_text

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
    path(shop, bob)
    assert shop.wait_until(lambda: EXPIRED in all_text(shop.bot_messages(amy)))
    # From the sweep's transaction (closed_at) to the message landing at LINE: the lease
    # would make it 30 s if only the poller sent it.
    notice = next(entry for entry in shop.line.conversation(amy)
                  if entry["direction"] == "bot" and EXPIRED in all_text([entry["message"]]))
    swept = shop.sql("SELECT extract(epoch FROM closed_at) * 1000 AS ms FROM orders")[0]["ms"]
    assert 0 <= notice["time"] - float(swept) < 1000
    assert shop.order(1)["status"] == "expired"

