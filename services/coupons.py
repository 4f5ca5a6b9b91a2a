"""Follower coupons: granted once on the first follow, spent once at checkout."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from db import coupons
from models.order import Totals, order_totals
from models.records import CartLine, Coupon


@dataclass(frozen=True)
class CouponOffer:
    """What the shop gives a new follower (settings COUPON_*)."""
    kind: str  # 'amount' or 'percent'
    value: int
    min_spend: int
    days: int


def offer_from(settings) -> CouponOffer:
    return CouponOffer(settings.coupon_kind, settings.coupon_value, settings.coupon_min_spend,
                       settings.coupon_days)


def grant_follower_coupon(cur, user_id: str, offer: CouponOffer, now: datetime) -> Coupon | None:
    """The new coupon, or None for a shopper who already had one (UNIQUE user_id)."""
    return coupons.grant_coupon(
        cur, user_id, code=f"F{secrets.token_hex(6).upper()}", kind=offer.kind,
        value=offer.value, min_spend=offer.min_spend, expires_at=now + timedelta(days=offer.days))


def claim_for_checkout(cur, user_id: str, lines: list[CartLine],
                       now: datetime) -> tuple[int | None, Totals]:
    """The order's totals with the shopper's coupon, which is marked used if it applies.

    The use is conditional, so of two concurrent checkouts only one gets the discount.
    """
    coupon = coupons.get_coupon_for(cur, user_id)
    totals = order_totals(lines, coupon, now)
    if not totals.discount:
        return None, totals
    if not coupons.use_coupon(cur, coupon.id):
        return None, order_totals(lines, None, now)
    return coupon.id, totals
