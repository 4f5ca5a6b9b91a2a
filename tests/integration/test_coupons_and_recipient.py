"""Follower coupons (once per shopper, expiry, minimum spend, race) and delivery details."""
from services import checkout
from models.errors import ShopError
from tests.support.messages import message_text
from tests.support.race import at_once

ADDRESS = "收件 王小明 0912-345-678 台北市信義區市府路1號"


def follower(shop, name="小明", language="zh-TW") -> str:
    uid = shop.shopper(name, language)
    shop.follow(uid)
    return uid


def ready_to_buy(shop, uid, quantity=4, price=100):
    shop.add_product(1, price=price, stock=50)
    shop.text(uid, ADDRESS)
    shop.text(uid, f"cart 1 {quantity}")


def test_a_new_follower_is_greeted_with_a_coupon(shop):
    uid = shop.shopper()
    greeting = "\n".join(message_text(m) for m in shop.follow(uid))
    assert "歡迎光臨" in greeting and "折 NT$50" in greeting and "滿 NT$300" in greeting
    assert shop.sql("SELECT kind, value, min_spend FROM coupons WHERE user_id = %s", (uid,)) == [
        {"kind": "amount", "value": 50, "min_spend": 300}]


def test_unfollowing_and_following_again_gives_no_second_coupon(shop):
    uid = follower(shop)
    shop.line.webhook.send_unfollow(uid)
    shop.work()
    again = "\n".join(message_text(m) for m in shop.follow(uid))
    assert "歡迎回來" in again and "折價券" not in again
    assert shop.sql("SELECT count(*) AS n FROM coupons WHERE user_id = %s", (uid,)) == [{"n": 1}]


def test_the_coupon_is_taken_off_the_order_and_the_bank_amount(shop):
    uid = follower(shop)
    ready_to_buy(shop, uid)  # 4 × 100 = 400 ≥ 300
    assert "−NT$50" in message_text(shop.text(uid, "購物車")[-1])
    order_card = shop.text(uid, "結帳")[-1]
    assert "NT$350" in message_text(order_card) and "王小明" in message_text(order_card)
    order = shop.sql("SELECT id, subtotal, discount, total, coupon_id FROM orders")[0]
    assert (order["subtotal"], order["discount"], order["total"]) == (400, 50, 350)
    assert shop.sql("SELECT used_at IS NOT NULL AS used FROM coupons")[0]["used"]
    shop.postback(uid, f"action=pay&order={order['id']}&method=atm")
    order_no = shop.sql("SELECT order_no FROM payment_attempts")[0]["order_no"]
    assert shop.bank.find_order(order_no).amount == 350 * 100  # the bank counts in cents


def test_the_coupon_is_used_only_once(shop):
    uid = follower(shop)
    ready_to_buy(shop, uid)
    shop.text(uid, "結帳")
    shop.text(uid, "cart 1 4")
    shop.text(uid, "結帳")
    assert [r["discount"] for r in shop.sql("SELECT discount FROM orders ORDER BY id")] == [50, 0]


def test_a_percent_coupon(make_shop):
    shop = make_shop(COUPON_KIND="percent", COUPON_VALUE=10, COUPON_MIN_SPEND=0)
    uid = follower(shop)
    assert "10% 折扣" in shop.bot_messages(uid)[-1]["text"]
    ready_to_buy(shop, uid, quantity=3, price=150)
    shop.text(uid, "結帳")
    assert shop.sql("SELECT discount, total FROM orders") == [{"discount": 45, "total": 405}]


def test_below_the_minimum_spend_the_coupon_waits(shop):
    uid = follower(shop)
    ready_to_buy(shop, uid, quantity=2)  # 200 < 300
    assert "再買 NT$100" in message_text(shop.text(uid, "購物車")[-1])
    shop.text(uid, "結帳")
    assert shop.sql("SELECT discount, total FROM orders") == [{"discount": 0, "total": 200}]
    assert shop.sql("SELECT used_at FROM coupons") == [{"used_at": None}]


def test_an_expired_coupon_gives_nothing(shop):
    uid = follower(shop)
    shop.sql("UPDATE coupons SET expires_at = now() - interval '1 second'")
    ready_to_buy(shop, uid)
    shop.text(uid, "結帳")
    assert shop.sql("SELECT discount, total FROM orders") == [{"discount": 0, "total": 400}]


def test_two_concurrent_checkouts_share_one_coupon(shop):
    uid = follower(shop)
    ready_to_buy(shop, uid)
    outcomes = at_once(lambda _: checkout.checkout(shop.rt.db, uid, hold_minutes=60), range(2))
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ShopError)]
    discounted = shop.sql("SELECT count(*) AS n FROM orders WHERE discount > 0")[0]["n"]
    assert discounted == 1, outcomes
    assert shop.sql("SELECT count(*) AS n FROM orders WHERE coupon_id IS NOT NULL")[0]["n"] == 1


def test_checkout_asks_for_delivery_details_first(shop):
    uid = shop.shopper()
    shop.add_product(1, price=100, stock=5)
    shop.text(uid, "cart 1 1")
    answer = message_text(shop.text(uid, "結帳")[-1])
    assert "收件 姓名 手機 地址" in answer
    assert shop.sql("SELECT count(*) AS n FROM orders")[0]["n"] == 0
    assert shop.stock(1) == 5
    saved = message_text(shop.text(uid, "收件 王小明 0912345678 台北市信義區市府路1號")[-1])
    assert "0912345678" in saved
    shop.text(uid, "結帳")
    assert shop.sql("SELECT recipient_name, recipient_phone, recipient_address FROM orders") == [
        {"recipient_name": "王小明", "recipient_phone": "0912345678",
         "recipient_address": "台北市信義區市府路1號"}]


def test_bad_delivery_details_get_a_precise_hint(shop):
    uid = shop.shopper()
    assert "格式" in message_text(shop.text(uid, "收件")[-1])
    assert "0212345678" in message_text(shop.text(uid, "收件 王小明 0212345678 台北市信義區")[-1])
    assert "地址太短" in message_text(shop.text(uid, "收件 王小明 0912345678 台北")[-1])
    assert shop.sql("SELECT recipient_name FROM shoppers WHERE user_id = %s", (uid,)) in (
        [], [{"recipient_name": None}])


def test_english_names_with_spaces_and_international_numbers(shop):
    uid = shop.shopper("Amy", "en")
    shop.text(uid, "address Amy Chen +886 912345678 No. 1, Shifu Rd, Taipei")
    shop.text(uid, "address Amy Chen +886912345678 No. 1, Shifu Rd, Taipei")
    assert shop.sql("SELECT recipient_name, recipient_phone FROM shoppers") == [
        {"recipient_name": "Amy Chen", "recipient_phone": "0912345678"}]
