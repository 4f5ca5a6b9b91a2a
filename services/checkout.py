"""Checkout: the cart becomes an order holding its stock, all or nothing."""
from datetime import datetime, timedelta, timezone

from db import carts, orders, shoppers
from models import cart as cart_rules
from models.errors import EmptyCart, RecipientMissing, SoldOut
from models.events import CheckoutStopped, OrderPlaced
from models.order import check_order_total
from services.coupons import claim_for_checkout
from services.orders import release_overdue


def checkout(db, user_id: str, *, hold_minutes: int,
             now: datetime | None = None) -> OrderPlaced | CheckoutStopped:
    """Reserve every cart line and create the order in one transaction.

    The shopper's coupon is applied (and spent) when it covers the subtotal. Lines the owner
    took off sale are named, with a button to drop them; then nothing is ordered
    (CheckoutStopped).
    :raise EmptyCart: nothing to order.
    :raise RecipientMissing: no delivery details yet; nothing was reserved.
    :raise OrderTooLarge: more than the bank takes in one payment; nothing was reserved.
    :raise SoldOut: some line can't be covered; nothing was reserved, the cart is kept.
    """
    try:
        return db.run(lambda uow: _place_order(uow, user_id, hold_minutes, now))
    except SoldOut:
        # Overdue orders may hold the missing units: release them and try once more.
        if not db.run(release_overdue):
            raise
        return db.run(lambda uow: _place_order(uow, user_id, hold_minutes, now))


def _place_order(uow, user_id: str, hold_minutes: int,
                 now: datetime | None) -> OrderPlaced | CheckoutStopped:
    cur = uow.cur
    now = now or datetime.now(timezone.utc)
    lines = carts.get_cart(cur, user_id)
    if not lines:
        raise EmptyCart()
    unavailable = cart_rules.unavailable(lines)
    if unavailable:
        stopped = CheckoutStopped(user_id, unavailable)
        uow.record(stopped)
        return stopped
    recipient = shoppers.get_recipient(cur, user_id)
    if recipient is None:
        raise RecipientMissing()
    # Before any row is written, so nothing overflows or moves.
    check_order_total(sum(line.amount for line in lines))
    coupon_id, totals = claim_for_checkout(cur, user_id, lines, now)
    expires_at = now + timedelta(minutes=hold_minutes)
    order_id = orders.insert_order(
        cur, user_id=user_id, lines=lines, subtotal=totals.subtotal, discount=totals.discount,
        total=totals.total, coupon_id=coupon_id, expires_at=expires_at, recipient=recipient)
    # Stock is taken last, so the busiest rows (a hot product) stay locked only until commit.
    # Raising below rolls back the order, the coupon and the reservation together.
    taken, short = orders.reserve_lines(cur, user_id, lines)
    if taken < len(lines):
        raise EmptyCart()  # another checkout of this same cart got there first
    if short:
        raise SoldOut(names="、".join(short))
    placed = OrderPlaced(user_id, order_id, lines, totals, expires_at, recipient)
    uow.record(placed)
    return placed
