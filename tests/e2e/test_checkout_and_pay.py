"""Checkout, paying by ATM or card through the bank emulator, and being told in the chat."""
from tests.support.messages import actions, message_text
from tests.support.race import at_once


def labels(messages):
    return [a["label"] for m in messages for a in actions(m)]


def test_checkout_reserves_stock_snapshots_lines_and_offers_atm_and_card(shop):
    shop.add_product(1, "烏龍茶", 450, 5, "https://img.example/tea.jpg")
    user = shop.buyer()
    shop.text(user, "cart 1 2")
    replies = shop.postback(user, "action=buy")
    assert any("ATM" in label for label in labels(replies))
    assert any("信用卡" in label for label in labels(replies))
    assert shop.stock(1) == 3
    order = shop.sql("SELECT * FROM orders WHERE user_id = %s", (user,))[0]
    assert (order["status"], order["total"]) == ("pending", 900)
    assert shop.sql("SELECT count(*) AS n FROM cart_items")[0]["n"] == 0
    # Later catalog edits never change the order.
    shop.sql("UPDATE products SET name = '新名字', price = 999, image_url = NULL WHERE id = 1")
    line = shop.sql("SELECT * FROM order_items WHERE order_id = %s", (order["id"],))[0]
    assert (line["name"], line["unit_price"], line["quantity"], line["image_url"]) == \
        ("烏龍茶", 450, 2, "https://img.example/tea.jpg")


def test_checkout_of_more_than_in_stock_reserves_nothing(shop):
    shop.add_product(1, "烏龍茶", 100, 5)
    shop.add_product(2, "芒果乾", 100, 5)
    user = shop.buyer()
    shop.text(user, "cart 1 2")
    shop.text(user, "cart 2 5")
    shop.sql("UPDATE products SET stock = 4 WHERE id = 2")  # someone else bought one meanwhile
    replies = shop.postback(user, "action=buy")
    assert "芒果乾" in message_text(replies[-1]) and "售完" in message_text(replies[-1])
    assert (shop.stock(1), shop.stock(2)) == (5, 4)
    assert shop.sql("SELECT count(*) AS n FROM orders")[0]["n"] == 0
    assert shop.sql("SELECT count(*) AS n FROM cart_items")[0]["n"] == 2


def test_atm_payment_gives_account_and_paid_notice_arrives_in_chat(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=2)
    replies = shop.pay_with(user, order_id, "atm")
    attempt = shop.attempts(order_id)[0]
    bank_order = shop.bank.find_order(attempt["order_no"])
    assert bank_order.amount == 90000  # NT$900 × 100 on the wire
    assert bank_order.message["PayType"] == "A"
    text = "\n".join(message_text(m) for m in replies)
    assert "807" in text and bank_order.atm_pay_no in text and "900" in text

    shop.bank_pays(attempt["order_no"])
    assert shop.order(order_id)["status"] == "paid"
    assert "已收到訂單" in shop.last_text(user)
    assert shop.stock(1) == 3  # a paid reservation keeps its stock


def test_card_payment_links_the_bank_card_page(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    replies = shop.pay_with(user, order_id, "card")
    uris = [a["uri"] for m in replies for a in actions(m) if a["type"] == "uri"]
    attempt = shop.attempts(order_id)[0]
    assert uris == [attempt["card_url"]] and uris[0].startswith(shop.bank.url + "/card/")
    assert shop.bank.find_order(attempt["order_no"]).message["PayType"] == "C"
    shop.bank_pays(attempt["order_no"])
    assert shop.order(order_id)["status"] == "paid"


def test_declined_card_tells_why_and_the_order_stays_payable(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "card")
    shop.bank_pays(shop.attempts(order_id)[0]["order_no"], decline=True)
    assert shop.order(order_id)["status"] == "pending"
    assert "交易授權失敗" in shop.last_text(user)
    assert shop.stock(1) == 4
    shop.pay_with(user, order_id, "atm")
    attempt = shop.attempts(order_id)[-1]
    shop.bank_pays(attempt["order_no"])
    assert shop.order(order_id)["status"] == "paid"


def test_switching_method_voids_the_earlier_attempt(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    shop.pay_with(user, order_id, "card")
    assert [(a["pay_type"], a["status"]) for a in shop.attempts(order_id)] == \
        [("A", "void"), ("C", "open")]


def test_money_for_a_voided_atm_attempt_still_pays_the_order(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    shop.pay_with(user, order_id, "card")
    shop.bank_pays(shop.attempts(order_id)[0]["order_no"])  # transferred to the old account
    assert shop.order(order_id)["status"] == "paid"


def test_repeated_and_out_of_order_notices_apply_once(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    order_no = shop.attempts(order_id)[0]["order_no"]
    shop.bank_pays(order_no)
    pushes = len(shop.bot_messages(user))
    payment = shop.bank.latest_payment(order_no)
    for _ in range(3):
        response = shop.app.test_client().post(
            "/sinopac/notify", json={"ShopNo": "NA0249_001", "PayToken": payment.pay_token})
        assert response.get_json() == {"Status": "S"}
    shop.work()
    assert len(shop.bot_messages(user)) == pushes
    assert shop.order(order_id)["status"] == "paid" and shop.stock(1) == 4


def test_concurrent_duplicate_notices_push_once(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    shop.pay_with(user, order_id, "atm")
    order_no = shop.attempts(order_id)[0]["order_no"]
    before = len(shop.bot_messages(user))
    shop.bank.pay(order_no)
    payment = shop.bank.latest_payment(order_no)
    clients = [shop.app.test_client() for _ in range(8)]
    at_once(lambda client: client.post(
        "/sinopac/notify", json={"ShopNo": "NA0249_001", "PayToken": payment.pay_token}), clients)
    shop.bank.wait_for_notifications(1)
    shop.work()
    paid_notices = [m for m in shop.bot_messages(user)[before:] if "已收到訂單" in message_text(m)]
    assert len(paid_notices) == 1


def test_another_shoppers_order_cannot_be_paid_or_cancelled(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    amy, bob = shop.buyer("Amy"), shop.buyer("Bob")
    order_id = shop.checkout(amy, p1=1)
    assert "找不到這筆訂單" in message_text(shop.pay_with(bob, order_id, "atm")[-1])
    assert "找不到這筆訂單" in message_text(shop.postback(bob, f"action=cancel&order={order_id}")[-1])
    assert shop.attempts(order_id) == [] and shop.order(order_id)["status"] == "pending"


def test_shopper_cancels_own_order_and_stock_returns(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=2)
    assert shop.stock(1) == 3
    assert "已取消" in message_text(shop.postback(user, f"action=cancel&order={order_id}")[-1])
    assert shop.stock(1) == 5 and shop.order(order_id)["status"] == "cancelled"
    assert "無法付款" in message_text(shop.pay_with(user, order_id, "atm")[-1])


def test_orders_command_lists_recent_orders_with_status(shop):
    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    order_id = shop.checkout(user, p1=1)
    text = message_text(shop.text(user, "訂單")[-1])
    assert f"#{order_id}" in text and "待付款" in text and "450" in text


def test_two_shoppers_racing_for_the_last_unit_only_one_gets_it(shop):
    shop.add_product(1, "烏龍茶", 450, 1)
    users = [shop.buyer(f"s{i}") for i in range(2)]
    for user in users:
        shop.text(user, "cart 1 1")
    at_once(lambda user: shop.line.webhook.send_postback(user, "action=buy"), users)
    # Both events are stored; work them from two threads at once.
    at_once(lambda _: shop.work(), range(2))
    assert shop.stock(1) == 0
    assert shop.sql("SELECT count(*) AS n FROM orders")[0]["n"] == 1
    told = [shop.last_text(u) for u in users]
    assert sum("售完" in text for text in told) == 1
