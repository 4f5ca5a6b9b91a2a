"""Database.run and the notifier: events become outbox rows in the use case's own transaction."""
from datetime import datetime, timedelta, timezone

import pytest

from handlers.notifier import ReplyContext
from models.events import HelpShown, OrderExpired, OrderShipped, Unfollowed
from tests.support.messages import all_text


def context_for(user_id: str, event_id: str | None = None) -> ReplyContext:
    # A token past its time: delivery pushes, so the emulator shows every message.
    return ReplyContext(user_id, "zh-TW", event_id, "r" * 32,
                        datetime.now(timezone.utc) - timedelta(seconds=1))


def stored_event(shop, user_id: str) -> str:
    shop.sql("""INSERT INTO inbox (webhook_event_id, user_id, event, status)
                VALUES ('E1', %s, '{}', 'pending')""", (user_id,))
    return "E1"


def test_events_of_a_rolled_back_transaction_are_never_queued_or_sent(shop):
    amy = shop.shopper("Amy")
    stored_event(shop, amy)

    def work(uow):
        uow.record(HelpShown(amy))
        raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        shop.rt.db.with_context(context_for(amy, "E1")).run(work)
    assert shop.sql("SELECT * FROM outbox") == []
    assert shop.sql("SELECT status FROM inbox") == [{"status": "pending"}]
    assert shop.bot_messages(amy) == []


def test_the_answer_is_one_reply_news_is_pushed_and_the_event_is_done_with_it(shop):
    amy, bob = shop.shopper("Amy"), shop.shopper("Bob")
    stored_event(shop, amy)

    def work(uow):
        uow.record(OrderExpired(amy, 1))           # news for Amy: pushed even while answering her
        uow.record(HelpShown(amy))                 # her answer
        uow.record(OrderShipped(bob, 2, "黑貓"))   # news for someone else: pushed

    shop.rt.db.with_context(context_for(amy, "E1")).run(work)
    rows = shop.sql("SELECT user_id, reply_token IS NOT NULL AS reply, status FROM outbox ORDER BY id")
    assert rows == [{"user_id": amy, "reply": False, "status": "sent"},
                    {"user_id": bob, "reply": False, "status": "sent"},
                    {"user_id": amy, "reply": True, "status": "sent"}]
    assert shop.sql("SELECT status FROM inbox") == [{"status": "done"}]
    assert "已超過付款期限" in all_text(shop.bot_messages(amy)[:1])
    assert "使用說明" in all_text(shop.bot_messages(amy)[1:])
    assert "quickReply" in shop.bot_messages(amy)[-1]  # replies end with the next steps
    assert "黑貓" in all_text(shop.bot_messages(bob))


def test_a_transaction_that_only_prepares_leaves_the_event_open(shop):
    """A use case's first transaction (say, reserving a payment attempt) records no answer."""
    amy = shop.shopper("Amy")
    stored_event(shop, amy)
    shop.rt.db.with_context(context_for(amy, "E1")).run(lambda uow: None)
    assert shop.sql("SELECT status FROM inbox") == [{"status": "pending"}]
    shop.rt.db.with_context(context_for(amy, "E1")).run(lambda uow: uow.record(Unfollowed(amy)))
    assert shop.sql("SELECT status FROM inbox") == [{"status": "done"}]
    assert shop.sql("SELECT * FROM outbox") == []
