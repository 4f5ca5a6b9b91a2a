"""Announcements: the owner's request checked field by field, segments, and batches of 500."""
from dataclasses import dataclass

from models import limits
from models.admin_errors import InvalidAnnouncement
from models.flex import PAGE_SIZE as ANNOUNCEMENT_PRODUCTS  # one carousel, no paging bubble
from models.messages import TEXT_LIMIT as ANNOUNCEMENT_TEXT_LIMIT

BATCH_SIZE = 500  # LINE's multicast takes at most 500 user ids (line-platform.md §12)
MAX_DAYS = 3650
SEGMENTS = {
    "all": "所有好友 Every follower",
    "bought": "買過某商品 Bought a product",
    "ordered_within": "N 天內下過單 Ordered within N days",
    "cart": "購物車有商品 Has items in the cart",
    "never_ordered": "從未下單 Never ordered",
}
STATUSES = {"sending": "發送中 Sending", "sent": "已送出 Sent", "held": "暫緩 Held"}


@dataclass(frozen=True)
class Segment:
    kind: str
    product_id: int | None = None  # "bought"
    days: int | None = None        # "ordered_within"

    def as_json(self) -> dict:
        return {"kind": self.kind, **({"product_id": self.product_id} if self.product_id else {}),
                **({"days": self.days} if self.days else {})}

    def describe(self) -> str:
        """The segment as the owner reads it."""
        if self.kind == "bought":
            return f"買過商品 #{self.product_id}"
        if self.kind == "ordered_within":
            return f"{self.days} 天內下過單"
        return SEGMENTS[self.kind].split(" ")[0]


@dataclass(frozen=True)
class AnnouncementRequest:
    text: str
    product_ids: tuple[int, ...]
    segment: Segment


def parse_request(body: dict) -> AnnouncementRequest:
    """The request as JSON gives it (the page's form is read into the same shape).

    :raise InvalidAnnouncement: naming the first field that is wrong.
    """
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidAnnouncement("請填寫公告內容（text）。")
    if len(text.strip()) > ANNOUNCEMENT_TEXT_LIMIT:
        raise InvalidAnnouncement(f"公告內容最多 {ANNOUNCEMENT_TEXT_LIMIT} 字（text）。")
    raw_ids = body.get("product_ids", [])
    if raw_ids is None:
        raw_ids = []
    if not isinstance(raw_ids, list) or len(raw_ids) > ANNOUNCEMENT_PRODUCTS:
        raise InvalidAnnouncement(f"product_ids 須為最多 {ANNOUNCEMENT_PRODUCTS} 個商品編號的清單。")
    ids = [limits.bounded(value, 1, limits.MAX_ID) for value in raw_ids]
    if None in ids or len(set(ids)) != len(ids):
        raise InvalidAnnouncement("product_ids 須為不重複的正整數商品編號。")
    return AnnouncementRequest(text.strip(), tuple(ids), parse_segment(body.get("segment")))


def parse_segment(raw) -> Segment:
    """:raise InvalidAnnouncement: an unknown kind, or its product_id / days missing or wrong."""
    if not isinstance(raw, dict) or raw.get("kind") not in SEGMENTS:
        raise InvalidAnnouncement("segment.kind 須為 " + "、".join(SEGMENTS) + " 其中之一。")
    kind = raw["kind"]
    if kind == "bought":
        product_id = limits.bounded(raw.get("product_id"), 1, limits.MAX_ID)
        if product_id is None:
            raise InvalidAnnouncement("「買過某商品」需要 segment.product_id（商品編號）。")
        return Segment(kind, product_id=product_id)
    if kind == "ordered_within":
        days = limits.bounded(raw.get("days"), 1, MAX_DAYS)
        if days is None:
            raise InvalidAnnouncement(f"「N 天內下過單」需要 segment.days（1 到 {MAX_DAYS}）。")
        return Segment(kind, days=days)
    return Segment(kind)


def batches(user_ids: list[str], size: int = BATCH_SIZE) -> list[list[str]]:
    """The recipients in multicast batches of at most `size`, in order."""
    return [user_ids[start:start + size] for start in range(0, len(user_ids), size)]
