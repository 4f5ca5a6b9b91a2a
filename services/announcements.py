"""Announcements: the owner's message to a segment of followers, multicast in batches of 500.

Every batch is stored with its own X-Line-Retry-Key before it is sent, and batches are leased
with SKIP LOCKED: a crash, a lost answer or a second sender resends a batch with the same key,
and LINE answers 409 instead of delivering it twice (the sending is handlers/scheduled.py).
The month's quota (asked of LINE by the caller) decides: an announcement LINE would refuse is
refused; one that would eat into the reserve for payment and shipping news is held until there
is room.
"""
import logging
from dataclasses import dataclass

from db import announcements as rows
from db import audit, products
from models import quota as quota_rules
from models.admin_errors import AnnouncementMissing, InvalidAnnouncement, OverQuota
from models.announcement import AnnouncementRequest, batches
from models.audit import ANNOUNCEMENT_CREATED, Actor
from models.records import Product

log = logging.getLogger(__name__)

LEASE_SECONDS = 60
MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class Preview:
    recipients: int          # the segment's followers right now
    products: list[Product]  # the cards, in the owner's order


def preview(db, request: AnnouncementRequest) -> Preview:
    """How many shoppers the segment is now, and the products its cards show.

    :raise InvalidAnnouncement: a card names an unknown or hidden product.
    """
    with db.transaction() as cur:
        return Preview(rows.count_segment(cur, request.segment), _products(cur, request))


def create(db, request: AnnouncementRequest, messages: list[dict], quota, reserve_setting: str,
           actor: Actor) -> dict:
    """Store the announcement, its `messages` (as built for the chat, so every batch and every
    resend carries the same body) and its batches: status sending, or held for the reserve.

    `quota` is the month's (limit, used) as LINE said just now. Returns it as `get` does.
    :raise InvalidAnnouncement: unknown or hidden product, or nobody in the segment.
    :raise OverQuota: more recipients than LINE would still take this month; nothing stored.
    """
    def work(uow):
        cur = uow.cur
        _products(cur, request)
        user_ids = rows.segment_user_ids(cur, request.segment)
        if not user_ids:
            raise InvalidAnnouncement("這個對象目前沒有任何好友，沒有可發送的人。")
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


def any_held(db) -> bool:
    with db.transaction() as cur:
        return bool(rows.list_held(cur))


def resume_held(db, quota, reserve_setting: str) -> int:
    """Held announcements that now fit the month's `quota` go back to sending; returns how many."""
    with db.transaction() as cur:
        held = rows.list_held(cur)
    resumed = 0
    for announcement in held:
        def work(uow):
            try:
                status, _ = quota_rules.announcement_status(
                    announcement["recipients"], quota.limit, quota.used, reserve_setting,
                    rows.unsent_recipients(uow.cur))
            except ValueError:
                return False
            return status == "sending" and rows.set_status(uow.cur, announcement["id"],
                                                           "sending", None, was="held")
        resumed += bool(db.run(work))
    return resumed


def claim_batch(db) -> dict | None:
    """Lease the next unsent batch (user ids, retry key, messages), or None."""
    with db.transaction() as cur:
        return rows.claim_batch(cur, LEASE_SECONDS)


def batch_sent(db, batch: dict) -> None:
    """LINE took the batch (or answered 409: it had already)."""
    with db.transaction() as cur:
        rows.mark_batch_sent(cur, batch["id"])
    log.info("event=announcement_batch_sent announcement_id=%s seq=%s recipients=%s",
             batch["announcement_id"], batch["seq"], len(batch["user_ids"]))


def batch_failed(db, batch: dict, error: str, *, retry: bool) -> None:
    """Try again later with the same retry key, unless it can't help or was tried enough."""
    give_up = not retry or batch["attempts"] >= MAX_ATTEMPTS
    with db.transaction() as cur:
        rows.mark_batch_failed(cur, batch["id"], error, give_up=give_up,
                               retry_in_seconds=min(600, 2 ** batch["attempts"]))
    log.warning("event=announcement_batch_failed announcement_id=%s seq=%s give_up=%s",
                batch["announcement_id"], batch["seq"], give_up)


def _products(cur, request: AnnouncementRequest) -> list[Product]:
    """:raise InvalidAnnouncement: a card names an unknown or hidden product."""
    found = {product.id: product for product in products.get_products(cur, request.product_ids)}
    for product_id in request.product_ids:
        if product_id not in found or not found[product_id].active:
            raise InvalidAnnouncement(f"商品 #{product_id} 不存在或未上架，不能放進公告。")
    return [found[product_id] for product_id in request.product_ids]
