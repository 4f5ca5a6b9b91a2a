"""The one notifier: what the use cases recorded becomes LINE messages in the outbox.

It runs inside the use case's transaction (`Database.run` calls `queue_messages` before commit),
so a message exists exactly when the change it reports does. Messages for the shopper whose
chat event is being handled become one reply (with quick replies for the next step), and that
inbox event is marked done in the same statement; every other message, and every `Notice`, is
pushed. This module, `models/messages.py` and `models/flex.py` are the only ones that know LINE
message JSON; the use cases never see it. It is the one adapter handed a cursor (the use case's,
through its unit of work), because its writes belong to that transaction.
"""
from dataclasses import dataclass
from datetime import datetime

from db import inbox, outbox, shoppers
from models import events, messages
from models.flex import NO_LINKS, Links
from models.records import PayMethod


@dataclass
class ReplyContext:
    """A shopper's chat event being handled: its reply token while fresh, its language.

    `lease_token` fences the event: every transaction made for it commits only while this
    worker's lease holds. The notifier fills `shopper_has_more` when the event is done.
    """
    user_id: str
    language: str | None = None
    event_id: str | None = None
    reply_token: str | None = None
    reply_until: datetime | None = None
    lease_token: str | None = None
    shopper_has_more: bool = False  # another event of this shopper waits: claim it next


class Notifier:
    """Built once per process with where cards may link to (`Links`) and the ways to pay offered."""

    def __init__(self, links: Links = NO_LINKS, methods: tuple[PayMethod, ...] = ()):
        self.links = links
        self.methods = methods

    def queue_messages(self, uow) -> list[dict]:
        """Queue the messages for `uow.events`; returns the outbox rows to send after commit."""
        context = uow.context if isinstance(uow.context, ReplyContext) else None
        answered, answer, queued = False, [], []
        for event in uow.events:
            if context and event.user_id == context.user_id \
                    and not isinstance(event, events.Notice):
                answered = True
                answer += messages.for_event(event, context.language, self.links, self.methods)
                continue
            language = shoppers.get_language(uow.cur, event.user_id)
            pushed = messages.for_event(event, language, self.links, self.methods)
            if pushed:
                queued.append(outbox.enqueue(uow.cur, event.user_id, pushed))
        if context:
            _answer(uow.cur, context, answered, answer, queued)
        return queued


def _answer(cur, context: ReplyContext, answered: bool, answer: list[dict],
            queued: list[dict]) -> None:
    """The transaction that answers the chat event replies and marks the event done; an earlier
    one (say, before a bank call) checks the event is still this worker's. Either way the
    lease fences the commit.

    :raise LeaseLost: the event changed hands; the whole transaction rolls back.
    """
    event = (context.event_id, context.lease_token) if context.event_id else None
    if answer:
        row = outbox.enqueue(
            cur, context.user_id, messages.with_quick_replies(answer, context.language),
            reply_token=context.reply_token, reply_until=context.reply_until, done_event=event)
        context.shopper_has_more = row.pop("shopper_has_more", False)
        queued.append(row)
    elif event and answered:
        context.shopper_has_more = inbox.mark_done(cur, *event)
    elif event:
        inbox.hold(cur, *event)
