"""The one notifier: what the use cases recorded becomes LINE messages in the outbox.

It runs inside the use case's transaction (`Database.run` calls `queue_messages` before commit),
so a message exists exactly when the change it reports does. Messages for the shopper whose
chat event is being handled become one reply (with quick replies for the next step), and that
inbox event is marked done in the same statement; every other message, and every `Notice`, is
pushed. This module, `models/messages.py` and `models/flex.py` are the only ones that know LINE
message JSON; the use cases never see it.
"""
from dataclasses import dataclass
from datetime import datetime

from db import inbox, outbox, shoppers
from models import events, messages


@dataclass(frozen=True)
class ReplyContext:
    """A shopper's chat event being handled: its reply token while fresh, its language."""
    user_id: str
    language: str | None = None
    event_id: str | None = None
    reply_token: str | None = None
    reply_until: datetime | None = None
    wait: bool = True  # send before the worker takes the next event


@dataclass(frozen=True)
class Pushing:
    """No chat event to answer (bank, back office, CLI): every message is pushed.

    `wait=False` hands them to the background sender, so the caller (the bank) is answered
    without waiting for LINE.
    """
    wait: bool = True


def queue_messages(uow) -> list[dict]:
    """Queue the messages for `uow.events`; returns the outbox rows to send after commit."""
    context = uow.context if isinstance(uow.context, ReplyContext) else None
    answered, answer, queued = False, [], []
    for event in uow.events:
        if context and event.user_id == context.user_id and not isinstance(event, events.Notice):
            answered = True
            answer += messages.for_event(event, context.language)
            continue
        pushed = messages.for_event(event, shoppers.get_language(uow.cur, event.user_id))
        if pushed:
            queued.append(outbox.enqueue(uow.cur, event.user_id, pushed))
    if answered and answer:
        queued.append(outbox.enqueue(
            uow.cur, context.user_id, messages.with_quick_replies(answer, context.language),
            reply_token=context.reply_token, reply_until=context.reply_until,
            done_event_id=context.event_id))
    elif answered and context.event_id:
        inbox.mark_done(uow.cur, context.event_id)
    return queued
