"""Checkout: the cart becomes an order holding its stock, all or nothing."""
from datetime import datetime, timedelta, timezone

from db import orders, shoppers
from models import messages
from models.errors import EmptyCart, RecipientMissing, SoldOut
from services.answers import Answer
from services.coupons import claim_for_checkout
from services.orders import release_overdue


def checkout(db, answer: Answer, *, hold_minutes: int, now: datetime | None = None) -> int:
    """Reserve every cart line and create the order in one transaction; returns its id.

    The shopper's coupon is applied (and spent) when it covers the subtotal.
    :raise EmptyCart: nothing to order.
    :raise RecipientMissing: no delivery details yet; nothing was reserved.
    :raise SoldOut: some line can't be covered; nothing was reserved, the cart is kept.
    """
    try:
        return db.run(lambda cur: _place_order(cur, answer, hold_minutes, now))
    except SoldOut:
        # Overdue orders may hold the missing units: release them and try once more.
        if not db.run(release_overdue):
            raise
        return db.run(lambda cur: _place_order(cur, answer, hold_minutes, now))


def _place_order(cur, answer: Answer, hold_minutes: int, now: datetime | None) -> int:
    now = now or datetime.now(timezone.utc)
    reserved = orders.reserve_cart(cur, answer.user_id)
    if not reserved:
        raise EmptyCart()
    # Raising rolls back the reservation above.
    recipient = shoppers.get_recipient(cur, answer.user_id)
    if recipient is None:
        raise RecipientMissing()
    short = [line.name for line, ok in reserved if not ok]
    if short:
        raise SoldOut(names="、".join(short))
    lines = [line for line, _ in reserved]
    subtotal = sum(line.amount for line in lines)
    coupon_id, discount = claim_for_checkout(cur, answer.user_id, subtotal, now)
    total = subtotal - discount
    expires_at = now + timedelta(minutes=hold_minutes)
    order_id = orders.insert_order(
        cur, user_id=answer.user_id, lines=lines, subtotal=subtotal, discount=discount,
        total=total, coupon_id=coupon_id, expires_at=expires_at, recipient=recipient)
    answer.send(cur, messages.order_created(order_id, lines, subtotal, discount, total,
                                            expires_at, answer.language, recipient))
    return order_id
