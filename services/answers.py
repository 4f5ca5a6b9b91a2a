"""Where an event's answer goes: queued in the same transaction as the work it reports."""
from dataclasses import dataclass, field
from datetime import datetime

from db import inbox, outbox
from models.messages import with_quick_replies


@dataclass
class Answer:
    """The shopper to answer, and how: reply token while fresh, else push.

    `lease_token` fences the event: its work counts only while this worker's lease holds.
    """
    user_id: str
    language: str | None = None
    event_id: str | None = None
    reply_token: str | None = None
    reply_until: datetime | None = None
    lease_token: str | None = None
    shopper_has_more: bool = False  # another event of this shopper waits: claim it next
    queued: list[dict] = field(default_factory=list)  # outbox rows to send after commit

    def send(self, cur, messages: list[dict]) -> None:
        """Queue `messages` (with next steps as quick replies) and mark the event done.

        :raise LeaseLost: the event is no longer ours; the caller's transaction rolls back.
        """
        if not messages:
            if self.event_id:
                self.shopper_has_more = inbox.mark_done(cur, self.event_id, self.lease_token)
            return
        row = outbox.enqueue(
            cur, self.user_id, with_quick_replies(messages, self.language),
            reply_token=self.reply_token, reply_until=self.reply_until,
            done_event=(self.event_id, self.lease_token) if self.event_id else None)
        self.shopper_has_more = row.pop("shopper_has_more", False)
        self.queued.append(row)

    def hold(self, cur) -> None:
        """Check the event is still ours before a step whose effects outlive this transaction.

        :raise LeaseLost: it is not; the caller's transaction rolls back.
        """
        if self.event_id:
            inbox.hold(cur, self.event_id, self.lease_token)


def push_to(cur, user_id: str, messages: list[dict]) -> dict:
    """Queue a push (no event to reply to): payment results, shipping news."""
    return outbox.enqueue(cur, user_id, messages)


def answer_with(db, answer: Answer, messages: list[dict]) -> None:
    """Answer an event that changes nothing else (help, errors, hints)."""
    with db.transaction() as cur:
        answer.send(cur, messages)
