"""Order rules: totals, coupon discounts, how long a reservation holds."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from models.errors import OrderTooLarge
from models.records import CartLine, Coupon, PayMethod

TAIPEI = timezone(timedelta(hours=8))

# The most the bank takes in one OrderCreate, per method, in NT$ (shared/refs/sinopac-qpay.md
# §7.1: Amount has at most 9 digits in minor units; §12: ATM at most NT$30 000).
MAX_TOTAL_FOR = {"A": 30_000, "C": 9_999_999}
MAX_ORDER_TOTAL = max(MAX_TOTAL_FOR.values())


def check_order_total(amount: int, method: PayMethod | None = None) -> None:
    """Refuse an order (or, with `method`, a way of paying it) that can't be paid.

    :raise OrderTooLarge: naming the limit.
    """
    limit = method.max_total if method else MAX_ORDER_TOTAL
    if amount > limit:
        raise OrderTooLarge(total=amount, limit=limit, method=method.pay_type if method else "")


@dataclass(frozen=True)
class Totals:
    """What a cart or order costs; the one rule the cart card, checkout and the order API share."""
    subtotal: int
    discount: int
    total: int
    spend_more: int = 0  # NT$ more before the shopper's valid coupon applies (0: nothing to say)


def coupon_usable(coupon: Coupon | None, now: datetime) -> bool:
    """The shopper holds a coupon that is neither used nor expired."""
    return coupon is not None and coupon.used_at is None and coupon.expires_at > now


def coupon_discount(coupon: Coupon | None, subtotal: int, now: datetime) -> int:
    """NT$ off for this subtotal; 0 when the coupon is absent, used, expired or below its minimum."""
    if not coupon_usable(coupon, now) or subtotal < coupon.min_spend:
        return 0
    if coupon.kind == "percent":
        off = subtotal * coupon.value // 100
    else:
        off = coupon.value
    # Never free: the bank needs a positive amount.
    return max(0, min(off, subtotal - 1))


def order_totals(lines: list[CartLine], coupon: Coupon | None, now: datetime) -> Totals:
    """Subtotal, the coupon's discount and the total to pay, in whole NT$.

    Lines of products taken off sale count for nothing (checkout refuses them).
    """
    subtotal = sum(line.amount for line in lines if line.active)
    discount = coupon_discount(coupon, subtotal, now)
    spend_more = 0
    if not discount and coupon_usable(coupon, now):
        spend_more = max(0, coupon.min_spend - subtotal)
    return Totals(subtotal, discount, subtotal - discount, spend_more)


def atm_deadline(now: datetime, days: int) -> tuple[str, datetime]:
    """The ATM ExpireDate (yyyyMMdd, Taipei) `days` ahead and the moment it ends."""
    last_day: date = (now.astimezone(TAIPEI) + timedelta(days=days)).date()
    ends = datetime.combine(last_day, time(23, 59, 59), tzinfo=TAIPEI)
    return last_day.strftime("%Y%m%d"), ends


def card_deadline(now: datetime, minutes: int) -> datetime:
    return now + timedelta(minutes=minutes)
