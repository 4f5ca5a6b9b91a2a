"""Announcements: the owner's message to a segment of followers, multicast in batches of 500.

Every batch is stored with its own X-Line-Retry-Key before it is sent, and batches are leased
with SKIP LOCKED: a crash, a lost answer or a second sender resends a batch with the same key,
and LINE answers 409 instead of delivering it twice. Before anything is stored, LINE is asked
about the month's quota: an announcement LINE would refuse is refused; one that would eat into
the reserve for payment and shipping news is held until there is room.
"""
import logging
from dataclasses import dataclass

from db import announcements as rows
from db import audit, products
from models import notices
from models import quota as quota_rules
from models.admin_errors import AnnouncementMissing, InvalidAnnouncement, OverQuota
from models.announcement import AnnouncementRequest, Segment, batches
from models.audit import ANNOUNCEMENT_CREATED, Actor
from models.flex import Links
from services.delivery import MAX_ATTEMPTS, LineSendError

log = logging.getLogger(__name__)

LEASE_SECONDS = 60


@dataclass(frozen=True)
class Preview:
    recipients: int
    messages: list[dict]   # as the chat will show them


def preview(db, request: AnnouncementRequest, links: Links) -> Preview:
    """How many shoppers the segment is now, and the messages they would get.

    :raise InvalidAnnouncement: a product card names an unknown or hidden product.
    """
    with db.transaction() as cur:
        return Preview(rows.count_segment(cur, request.segment),
                       _messages(cur, request, links))


def count(db, segment: Segment) -> int:
    with db.transaction() as cur:
        return rows.count_segment(cur, segment)


def create(db, messenger, request: AnnouncementRequest, reserve_setting: str, links: Links,
           actor: Actor) -> dict:
    """Store the announcement and its batches (status sending, or held for the quota reserve).

    Returns it as `status` does. Nothing is sent here: `send_pending` does that.
    :raise InvalidAnnouncement: unknown or hidden product, or nobody in the segment.
    :raise OverQuota: more recipients than LINE would still take this month; nothing stored.
    """
    recipients = count(db, request.segment)
    if not recipients:
        raise InvalidAnnouncement("這個對象目前沒有任何好友，沒有可發送的人。")
    try:
        quota = messenger.quota()
    except LineSendError as error:
        raise OverQuota("LINE 沒有回答本月訊息額度，公告沒有送出，請稍後再試。") from error

    def work(cur):
        messages = _messages(cur, request, links)
        user_ids = rows.segment_user_ids(cur, request.segment)
        try:
            status, reason = quota_rules.announcement_status(
                len(user_ids), quota.limit, quota.used, reserve_setting,
                rows.unsent_recipients(cur))
        except ValueError as refused:
            raise OverQuota(str(refused)) from None
        announcement_id = rows.insert_announcement(
            cur, text=request.text, product_ids=list(request.product_ids),
            segment=request.segment.as_json(), status=status, held_reason=reason,
            recipients=len(user_ids), messages=messages, created_by=actor.admin_id)
        for seq, batch in enumerate(batches(user_ids), start=1):
            rows.insert_batch(cur, announcement_id, seq, batch)
        audit.record(cur, actor, ANNOUNCEMENT_CREATED, "announcement", announcement_id, after={
            "text": request.text, "product_ids": list(request.product_ids),
            "segment": request.segment.as_json(), "recipients": len(user_ids),
            "status": status})
        return rows.get_announcement(cur, announcement_id)
    created = db.run(work)
    log.info("event=announcement_created announcement_id=%s recipients=%s status=%s",
             created["id"], created["recipients"], created["status"])
    return created


def get(db, announcement_id: int) -> dict:
    """:raise AnnouncementMissing: no such announcement."""
    with db.transaction() as cur:
        found = rows.get_announcement(cur, announcement_id)
    if found is None:
        raise AnnouncementMissing()
    return found


def recent(db) -> list[dict]:
    with db.transaction() as cur:
        return rows.list_announcements(cur)


def resume_held(db, messenger, reserve_setting: str) -> int:
    """Held announcements that now fit the quota go back to sending; returns how many."""
    with db.transaction() as cur:
        held = rows.list_held(cur)
    if not held:
        return 0
    try:
        quota = messenger.quota()
    except LineSendError:
        return 0
    resumed = 0
    for announcement in held:
        def work(cur):
            try:
                status, _ = quota_rules.announcement_status(
                    announcement["recipients"], quota.limit, quota.used, reserve_setting,
                    rows.unsent_recipients(cur))
            except ValueError:
                return False
            return status == "sending" and rows.set_status(cur, announcement["id"], "sending",
                                                           None, was="held")
        resumed += bool(db.run(work))
    return resumed


def send_pending(db, messenger, limit: int = 100) -> int:
    """Send up to `limit` unsent batches, each under a lease; returns batches sent."""
    sent = 0
    for _ in range(limit):
        with db.transaction() as cur:
            batch = rows.claim_batch(cur, LEASE_SECONDS)
        if batch is None:
            break
        try:
            messenger.multicast(batch["user_ids"], batch["messages"], str(batch["retry_key"]))
        except LineSendError as error:
            give_up = not error.retry or batch["attempts"] >= MAX_ATTEMPTS
            with db.transaction() as cur:
                rows.mark_batch_failed(cur, batch["id"], str(error), give_up=give_up,
                                       retry_in_seconds=min(600, 2 ** batch["attempts"]))
            log.warning("event=announcement_batch_failed announcement_id=%s seq=%s status=%s",
                        batch["announcement_id"], batch["seq"], error.status)
            continue
        with db.transaction() as cur:
            rows.mark_batch_sent(cur, batch["id"])
        log.info("event=announcement_batch_sent announcement_id=%s seq=%s recipients=%s",
                 batch["announcement_id"], batch["seq"], len(batch["user_ids"]))
        sent += 1
    return sent


def _messages(cur, request: AnnouncementRequest, links: Links) -> list[dict]:
    """:raise InvalidAnnouncement: a product card names an unknown or hidden product."""
    found = {product.id: product for product in products.get_products(cur, request.product_ids)}
    for product_id in request.product_ids:
        if product_id not in found or not found[product_id].active:
            raise InvalidAnnouncement(f"商品 #{product_id} 不存在或未上架，不能放進公告。")
    return notices.announcement(request.text, [found[i] for i in request.product_ids], links)
