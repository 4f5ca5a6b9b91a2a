"""Reminders through an order's life: each once, across scheduler runs, processes and threads."""
import threading

from handlers import scheduled
from services import reminders
from tests.support.messages import actions, all_text, message_text

ATM_REMINDER = "轉帳期限快到了"
CART_REMINDER = "購物車還有商品等著您"


def _atm_order(shop, user, hours_left=5):
    """An order waiting for an ATM transfer, its deadline `hours_left` hours away."""
    order_id = shop.checkout(user, p1=2)
    shop.pay_with(user, order_id, "atm")
    shop.sql("UPDATE orders SET expires_at = now() + make_interval(hours => %s) WHERE id = %s",
             (hours_left, order_id))
    return order_id


def _reminded(shop, user, words):
    return [m for m in shop.bot_messages(user) if words in message_text(m)]


def _send_reminders(shop):
    result = shop.app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def _left_alone(shop, user, hours=25):
    shop.sql("UPDATE cart_items SET changed_at = now() - make_interval(hours => %s) "
             "WHERE user_id = %s", (hours, user))


def test_an_atm_order_near_its_deadline_is_reminded_once_with_account_and_amount(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = _atm_order(shop, user, hours_left=7)
    assert "Sent 0 reminders" in _send_reminders(shop)  # 7 h away: not yet (ATM_REMIND_HOURS 6)

    shop.sql("UPDATE orders SET expires_at = now() + interval '5 hours' WHERE id = %s", (order_id,))
    assert "Sent 1 reminders" in _send_reminders(shop)
    assert "Sent 0 reminders" in _send_reminders(shop)

    reminded = _reminded(shop, user, ATM_REMINDER)
    assert len(reminded) == 1
    account = shop.attempts(order_id)[0]["atm_pay_no"]
    text = all_text(shop.bot_messages(user)[-2:])
    assert f"訂單 #{order_id}" in text and account in text and "NT$900" in text


def test_racing_schedulers_in_two_processes_send_each_reminder_once(make_shop):
    first, second = make_shop(), make_shop()
    first.add_product(1, "烏龍茶", 450, 50)
    users = [first.buyer(f"買家{n}") for n in range(6)]
    for user in users[:3]:
        _atm_order(first, user)
        first.text(user, "cart 1 1")
    for user in users[3:]:
        first.text(user, "cart 1 1")
    for user in users:
        _left_alone(first, user)
    barrier = threading.Barrier(4)
    runs = []

    def race(shop):
        barrier.wait()
        runs.append(scheduled.send_reminders(shop.rt))

    threads = [threading.Thread(target=race, args=(shop,)) for shop in (first, second) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "Sent 0 reminders" in _send_reminders(first)

    assert sum(run.sent for run in runs) == 9
    for user in users[:3]:
        assert len(_reminded(first, user, ATM_REMINDER)) == 1
    for user in users:
        assert len(_reminded(first, user, CART_REMINDER)) == 1
    assert first.sql("SELECT count(*) AS n FROM reminders_sent")[0]["n"] == 9


def test_a_cart_left_alone_is_reminded_once_per_change_and_the_shopper_can_stop_it(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    shop.add_product(2, "芒果乾", 120, 5)
    user = shop.buyer()
    shop.text(user, "cart 1 2")
    _left_alone(shop, user, hours=23)
    assert "Sent 0 reminders" in _send_reminders(shop)
    _left_alone(shop, user)
    _send_reminders(shop)
    _send_reminders(shop)
    reminded = _reminded(shop, user, CART_REMINDER)
    assert len(reminded) == 1
    card, stop = shop.bot_messages(user)[-2:]
    assert "烏龍茶" in message_text(card) and "NT$900" in message_text(card)
    assert [a["data"] for a in actions(stop)] == ["action=cart_reminders&on=0"]

    shop.text(user, "cart 2 1")           # a new cart: one more reminder once it sits
    _left_alone(shop, user)
    _send_reminders(shop)
    _send_reminders(shop)
    assert len(_reminded(shop, user, CART_REMINDER)) == 2
    assert "芒果乾" in shop.last_text(user) or "芒果乾" in message_text(shop.bot_messages(user)[-2])

    assert "不會再提醒" in message_text(shop.postback(user, "action=cart_reminders&on=0")[-1])
    shop.text(user, "cart 2 2")
    _left_alone(shop, user)
    assert "Sent 0 reminders" in _send_reminders(shop)

    assert "會再提醒您" in message_text(shop.text(user, "購物車提醒 開")[-1])
    _send_reminders(shop)
    assert len(_reminded(shop, user, CART_REMINDER)) == 3


def test_shoppers_who_blocked_the_shop_get_no_reminder(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    shop.text(user, "cart 1 1")
    _left_alone(shop, user)
    shop.sql("UPDATE shoppers SET following = false WHERE user_id = %s", (user,))
    assert "Sent 0 reminders" in _send_reminders(shop)


def test_the_quota_reserve_holds_a_reminder_back_until_there_is_room(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    _atm_order(shop, user)
    shop.line.quota.limit = 100
    shop.line.quota.used = 91     # 9 left, of which 10 (10%) are kept: no room
    assert "Sent 0 reminders; 1 held back" in _send_reminders(shop)
    assert _reminded(shop, user, ATM_REMINDER) == []
    assert "保留 10 則" in reminders.held_note(shop.rt.db)

    shop.line.quota.limit = 200   # the owner raised the limit
    assert "Sent 1 reminders; 0 held back" in _send_reminders(shop)
    assert len(_reminded(shop, user, ATM_REMINDER)) == 1
    assert reminders.held_note(shop.rt.db) is None


def test_an_expired_order_says_its_stock_was_released_once_and_offers_to_order_again(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=2)
    shop.sql("UPDATE orders SET expires_at = now() - interval '1 minute'")
    for _ in range(2):
        assert shop.app.test_cli_runner().invoke(args=["expire-orders"]).exit_code == 0
    notices = [m for m in shop.bot_messages(user) if "已超過付款期限" in message_text(m)]
    assert len(notices) == 1
    assert "商品已釋出" in message_text(notices[0])
    assert shop.stock(1) == 5
    again, = actions(notices[0])
    assert again["label"] == "再訂一次"

    replies = shop.postback(user, again["data"])
    assert f"訂單 #{order_id} 的商品放回購物車" in all_text(replies)
    assert shop.sql("SELECT product_id, quantity FROM cart_items WHERE user_id = %s", (user,)) \
        == [{"product_id": 1, "quantity": 2}]


def test_workers_in_two_processes_take_the_periodic_turn_once_a_minute(make_shop):
    first, second = make_shop(), make_shop()
    first.add_product(1, "烏龍茶", 450, 5)
    user = first.buyer()
    first.text(user, "cart 1 1")
    _left_alone(first, user)
    assert first.rt.worker.run_periodic() is True
    assert len(_reminded(first, user, CART_REMINDER)) == 1
    assert second.rt.worker.run_periodic() is False
    assert first.rt.worker.run_periodic() is False
    first.sql("UPDATE scheduled_jobs SET ran_at = now() - interval '61 seconds'")
    assert second.rt.worker.run_periodic() is True
