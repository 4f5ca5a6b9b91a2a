"""Whatever shoppers type and whatever arrives signed: no 500, no change on error, a helpful reply."""
import json
import time
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import inbox
from handlers import line_events
from sandbox.line_validator import validate_messages
from sandbox.line_webhook_sender import sign
from tests.support.messages import message_text
from tests.support.settings import CHANNEL_SECRET

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
WORDS = st.sampled_from(["cart", "購物車", "收件", "address", "商品", "+", "-", "0", "1", "99",
                         "１２", "-0", "+-1", "1e9", "9" * 30, " ", "\n", "🍍", "\u200b"])
ODD_TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=6).map(" ".join))


def state_of_the_shop(shop):
    return shop.sql("""SELECT (SELECT json_agg(stock ORDER BY id) FROM products) AS stock,
                              (SELECT count(*) FROM orders) AS orders,
                              (SELECT count(*) FROM payment_attempts) AS attempts""")[0]


def event(kind: str, user_id: str, **payload) -> dict:
    return {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user_id},
            "webhookEventId": uuid.uuid4().hex, "deliveryContext": {"isRedelivery": False},
            "replyToken": uuid.uuid4().hex, **payload}


def handled_reply(shop, raw: dict) -> list[dict]:
    """Store one event as the webhook would, run it through the real handler; return its messages."""
    stored = json.loads(json.dumps(raw).replace("\\u0000", ""))  # as the webhook stores it
    with shop.rt.db.transaction() as cur:
        [row] = inbox.store_events(cur, [stored], leased=True, lease_seconds=30)
    line_events.handle(shop.rt, raw, None, row["lease_token"])
    rows = shop.sql("SELECT messages FROM outbox WHERE user_id = %s ORDER BY id DESC LIMIT 1",
                    (raw["source"]["userId"],))
    return rows[0]["messages"] if rows else []


@FUZZ
@given(text=ODD_TEXT)
def test_any_text_gets_a_valid_helpful_reply_and_moves_no_stock(shop, text):
    if not shop.sql("SELECT 1 FROM products"):
        shop.add_product(1, "烏龍茶", 100, 5)
    before = state_of_the_shop(shop)
    user = "U" + uuid.uuid4().hex
    reply = handled_reply(shop, event("message", user, message={
        "id": "1", "type": "text", "text": text, "quoteToken": "q"}))
    assert reply and validate_messages(reply) == []
    assert message_text(reply[-1]).strip()
    after = state_of_the_shop(shop)
    assert (after["stock"], after["orders"]) == (before["stock"], before["orders"])


POSTBACK = st.one_of(
    st.text(max_size=300),
    st.builds(lambda action, order, method: f"action={action}&order={order}&method={method}",
              st.sampled_from(["pay", "cancel", "buy", "add", "x"]),
              st.one_of(st.integers(), st.text(max_size=12)),
              st.one_of(st.sampled_from(["atm", "card"]), st.text(max_size=8))),
    st.builds(lambda action, product: f"action={action}&product={product}",
              st.sampled_from(["add", "inc", "dec", "remove", "detail"]),
              st.one_of(st.integers(min_value=-2**70, max_value=2**70), st.text(max_size=8))),
)


@FUZZ
@given(data=POSTBACK)
def test_any_postback_data_is_answered_and_never_pays_someone_elses_order(shop, data):
    if not shop.sql("SELECT 1 FROM orders"):
        shop.add_product(1, "烏龍茶", 100, 5)
        owner = shop.buyer("owner")
        shop.checkout(owner, p1=1)
    before = state_of_the_shop(shop)
    stranger = "U" + uuid.uuid4().hex
    reply = handled_reply(shop, event("postback", stranger, postback={"data": data}))
    assert reply and validate_messages(reply) == []
    after = state_of_the_shop(shop)
    assert after == before  # a stranger's buttons change nothing of the owner's order


@FUZZ
@given(body=st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
              st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(
                                   ["events", "type", "webhookEventId", "source", "timestamp",
                                    "message", "replyToken", "mode", "x"]), children, max_size=5)),
    max_leaves=20))
def test_signed_webhook_bodies_of_any_shape_never_500(shop, body):
    raw = json.dumps(body, ensure_ascii=False).encode()
    response = shop.app.test_client().post(
        "/callback", data=raw, headers={"Content-Type": "application/json",
                                        "X-Line-Signature": sign(CHANNEL_SECRET, raw)})
    assert response.status_code in (200, 400)
    shop.work()  # whatever was stored is worked without crashing the worker
    assert not shop.sql("SELECT 1 FROM inbox WHERE last_error IS NOT NULL")


def test_events_without_a_shopper_or_of_unknown_shape_change_nothing(shop):
    shop.add_product(1, "烏龍茶", 100, 5)
    odd = [
        {**event("message", "U1", message={"id": "1", "type": "text", "text": "cart 1 2"}),
         "source": {"type": "group", "groupId": "C1"}},
        {**event("follow", "U1"), "source": None},
        event("message", "U" + "2" * 32, message={"id": "1", "type": "text", "text": 12}),
        event("postback", "U" + "3" * 32, postback={"data": None}),
        event("videoPlayComplete", "U" + "4" * 32, videoPlayComplete={"trackingId": "t"}),
    ]
    for raw in odd:
        with shop.rt.db.transaction() as cur:  # stored as the webhook would
            [row] = inbox.store_events(cur, [raw], leased=True, lease_seconds=30)
        line_events.handle(shop.rt, raw, None, row["lease_token"])

    assert shop.sql("SELECT count(*) AS n FROM cart_items")[0]["n"] == 0
    assert shop.sql("SELECT count(*) AS n FROM shoppers")[0]["n"] == 0
    assert shop.stock(1) == 5
