"""Messages the shop sends unasked, around the use cases: reminders and announcements.

Here LINE is asked about the month's quota before a use case decides what fits, and
announcement batches are multicast with their stored retry keys. Used by the CLI commands, the
workers' periodic step and the back office.
"""
import logging
import threading
from dataclasses import dataclass

from handlers.delivery import LineSendError
from models import messages
from models.admin_errors import OverQuota
from models.announcement import AnnouncementRequest
from models.audit import Actor
from services import announcements, reminders
from services.reminders import ReminderRun, ReminderSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChatPreview:
    recipients: int        # the segment's followers right now
    messages: list[dict]   # as the chat will show them (and as they will be sent)


def quota_now(rt):
    """The month's quota (limit, used) as LINE says it, or None when LINE doesn't answer."""
    try:
        return rt.messenger.quota()
    except LineSendError as error:
        log.info("event=quota_unavailable status=%s", error.status)
        return None


def send_reminders(rt) -> ReminderRun:
    """`flask send-reminders` and the workers: the due reminders that fit the quota."""
    settings = ReminderSettings.from_settings(rt.settings)
    due = reminders.count_due(rt.db, settings)
    if not due:
        return ReminderRun(0, 0)
    return reminders.send_due(rt.db, settings, quota_now(rt), due)


def preview(rt, request: AnnouncementRequest) -> ChatPreview:
    """How many shoppers an announcement reaches now, and its messages as the chat shows them.

    :raise InvalidAnnouncement: a card names an unknown or hidden product.
    """
    found = announcements.preview(rt.db, request)
    return ChatPreview(found.recipients,
                       messages.announcement(request.text, found.products, rt.links))


def announce(rt, request: AnnouncementRequest, actor: Actor) -> dict:
    """Store an announcement (sending, or held for the quota reserve) and start sending it.

    :raise InvalidAnnouncement: a field is wrong, or nobody is in the segment.
    :raise OverQuota: LINE would refuse that many this month, or didn't say how many are left.
    """
    found = preview(rt, request)
    quota = quota_now(rt) if found.recipients else None
    if found.recipients and quota is None:
        raise OverQuota("LINE 沒有回答本月訊息額度，公告沒有送出，請稍後再試。")
    created = announcements.create(rt.db, request, found.messages, quota,
                                   rt.settings.quota_reserve, actor)
    kick(rt)
    return created


def send_announcements(rt, limit: int = 100) -> tuple[int, int]:
    """`flask send-announcements` and the workers: held announcements that now fit go out, and
    unsent batches are multicast; returns (batches sent, announcements resumed)."""
    resumed = 0
    if announcements.any_held(rt.db):
        quota = quota_now(rt)
        if quota is not None:
            resumed = announcements.resume_held(rt.db, quota, rt.settings.quota_reserve)
    return send_batches(rt, limit), resumed


def send_batches(rt, limit: int = 100) -> int:
    """Multicast up to `limit` unsent batches, each under its lease and with its own retry key:
    LINE answers a resend of one it took with 409, which the client counts as sent."""
    sent = 0
    for _ in range(limit):
        batch = announcements.claim_batch(rt.db)
        if batch is None:
            break
        try:
            rt.messenger.multicast(batch["user_ids"], batch["messages"], str(batch["retry_key"]))
        except LineSendError as error:
            announcements.batch_failed(rt.db, batch, str(error), retry=error.retry)
            continue
        announcements.batch_sent(rt.db, batch)
        sent += 1
    return sent


def kick(rt) -> None:
    """Send new batches now, off the request thread (after a crash the workers and the CLI
    find them: the batches are stored, each with its retry key)."""
    def send():
        try:
            send_batches(rt)
        except Exception:  # the stored batches wait for the next sender
            log.exception("event=announcement_kick_failed")
    threading.Thread(target=send, name="announcement-kick", daemon=True).start()
