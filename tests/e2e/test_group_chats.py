"""The shop works one to one: groups and rooms get one invitation, standby events nothing."""
import psycopg2
import pytest

from tests.support.messages import all_text


def bot_said(shop, chat_id):
    return shop.bot_messages(chat_id)


def counts(shop):
    return shop.sql("""SELECT (SELECT count(*) FROM shoppers) AS shoppers,
                              (SELECT count(*) FROM cart_items) AS cart_items,
                              (SELECT count(*) FROM orders) AS orders,
                              (SELECT count(*) FROM outbox) AS outbox""")[0]


def send_in_group(shop, chat_id, user_id=None, **what):
    assert shop.line.webhook.send_in_group(chat_id, user_id, **what).ok
    shop.work()


@pytest.mark.parametrize("kind", ["group", "room"])
def test_checkout_typed_in_a_group_sends_only_one_invitation_and_no_personal_data(shop, kind):
    shop.add_product(1, "烏龍茶", 100, 10)
    buyer = shop.buyer("王小明")
    shop.text(buyer, "cart 1 2")
    seen_by_buyer = len(shop.bot_messages(buyer))
    chat = shop.line.add_group(kind)
    for text in ("結帳", "購物車", "訂單", "結帳"):
        send_in_group(shop, chat, buyer, text=text)
    said = bot_said(shop, chat)
    assert len(said) == 1 and "一對一" in all_text(said)
    for private in ("王小明", "0912345678", "台北市", "烏龍茶", "訂單 #"):
        assert private not in all_text(said)
    assert not shop.sql("SELECT 1 FROM orders") and shop.stock(1) == 10
    assert len(shop.bot_messages(buyer)) == seen_by_buyer  # nothing pushed to the member either
    assert not shop.sql("SELECT 1 FROM inbox WHERE status <> 'done'")


def test_each_group_is_invited_once_and_remembered_across_processes(make_shop):
    first = make_shop()
    chat = first.line.add_group()
    send_in_group(first, chat, None, text="商品")
    second = make_shop()  # another process: only PostgreSQL remembers the invitation
    send_in_group(second, chat, None, text="商品")
    assert len(bot_said(second, chat)) == 1
    other = second.line.add_group()
    send_in_group(second, other, None, text="商品")
    assert len(bot_said(second, other)) == 1


@pytest.mark.parametrize("data", ["action=add&product=1", "action=buy", "action=cart"])
def test_a_group_postback_without_user_id_touches_no_shopper(shop, data):
    shop.add_product(1, "烏龍茶", 100, 10)
    chat = shop.line.add_group()
    send_in_group(shop, chat, None, data=data)
    send_in_group(shop, chat, None, data=data)
    assert shop.sql("SELECT user_id FROM shoppers") == []
    assert shop.sql("SELECT user_id FROM cart_items") == []
    assert [row["user_id"] for row in shop.sql("SELECT user_id FROM outbox")] == [chat]


def test_a_standby_event_changes_nothing_and_sends_nothing(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    buyer = shop.buyer()
    shop.text(buyer, "cart 1 2")
    before, seen = counts(shop), len(shop.bot_messages(buyer))
    for text in ("cart 1 5", "結帳"):
        assert shop.line.webhook.send_standby_text(buyer, text).ok
    shop.work()
    assert counts(shop) == before
    assert shop.sql("SELECT quantity FROM cart_items") == [{"quantity": 2}]
    assert len(shop.bot_messages(buyer)) == seen
    assert not shop.sql("SELECT 1 FROM inbox WHERE status <> 'done'")


def test_an_event_with_an_empty_user_id_stores_and_sends_nothing(shop):
    shop.add_product(1, "烏龍茶", 100, 10)
    event = {"type": "postback", "mode": "active", "timestamp": 1764547200000,
             "source": {"type": "user", "userId": ""}, "webhookEventId": "01EMPTYUSER",
             "deliveryContext": {"isRedelivery": False}, "replyToken": "0" * 32,
             "postback": {"data": "action=add&product=1"}}
    assert shop.line.webhook.post_events([event]).ok
    shop.work()
    assert counts(shop) == {"shoppers": 0, "cart_items": 0, "orders": 0, "outbox": 0}
    assert shop.sql("SELECT status FROM inbox") == [{"status": "done"}]


@pytest.mark.parametrize("statement", [
    "INSERT INTO shoppers (user_id) VALUES ('')",
    "INSERT INTO cart_items (user_id, product_id, quantity) VALUES ('', 1, 1)",
    "INSERT INTO outbox (user_id, messages, retry_key) VALUES ('', '[]', gen_random_uuid())",
])
def test_the_database_refuses_rows_keyed_by_an_empty_user_id(shop, statement):
    shop.add_product(1, "烏龍茶", 100, 10)
    with pytest.raises(psycopg2.errors.CheckViolation):
        shop.sql(statement)


@pytest.mark.parametrize("source", [{"type": "group"}, {"type": "room", "userId": "U" + "1" * 32},
                                    {"type": "user"}, {"type": "bot", "userId": "U" + "2" * 32}])
def test_an_event_from_no_chat_we_know_is_done_without_a_trace(shop, source):
    event = {"type": "message", "mode": "active", "timestamp": 1764547200000, "source": source,
             "webhookEventId": "01NOCHAT", "deliveryContext": {"isRedelivery": False},
             "replyToken": "0" * 32,
             "message": {"id": "1", "type": "text", "text": "結帳", "quoteToken": "q"}}
    assert shop.line.webhook.post_events([event]).ok
    shop.work()
    assert counts(shop) == {"shoppers": 0, "cart_items": 0, "orders": 0, "outbox": 0}
    assert shop.sql("SELECT status, last_error FROM inbox") == [{"status": "done",
                                                                 "last_error": None}]
    assert shop.sql("SELECT 1 FROM group_invitations") == []
