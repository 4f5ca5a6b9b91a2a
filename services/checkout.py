"""Checkout: the cart becomes an order holding its stock, all or nothing."""
from datetime import datetime, timedelta, timezone

from db import orders
from models import messages
from models.errors import EmptyCart, SoldOut
from models.order import order_totals
from services.answers import Answer
from services.orders import release_overdue


def checkout(db, answer: Answer, *, hold_minutes: int, now: datetime | None = None) -> int:
    """Reserve every cart line and create the order in one transaction; returns its id.

    :raise EmptyCart: nothing to order.
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
    short = [line.name for line, ok in reserved if not ok]
    if short:
        raise SoldOut(names="、".join(short))  # raising rolls back the partial reservation
    lines = [line for line, _ in reserved]
    subtotal, discount, total = order_totals(lines, None, now)
    expires_at = now + timedelta(minutes=hold_minutes)
    order_id = orders.insert_order(
        cur, user_id=answer.user_id, lines=lines, subtotal=subtotal, discount=discount,
        total=total, coupon_id=None, expires_at=expires_at, recipient=None)
    answer.send(cur, messages.order_created(order_id, lines, subtotal, discount, total,
                                            expires_at, answer.language))
    return order_id
