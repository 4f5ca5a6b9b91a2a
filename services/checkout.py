"""Checkout: the cart becomes an order holding its stock, all or nothing."""
from datetime import datetime, timedelta, timezone

from db import carts, orders, products, shoppers
from models import cart as cart_rules
from models.errors import EmptyCart, RecipientMissing, SoldOut
from models.events import CheckoutStopped, OrderPlaced
from models.order import check_order_total
from models.order_request import OrderRequest, line_statuses
from models.records import CartLine, Order
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


def checkout_lines(db, user_id: str, request: OrderRequest, *, hold_minutes: int,
                   now: datetime | None = None) -> Order:
    """The order API's checkout: posted lines, not the chat's cart, under the same rule.

    One transaction: snapshot lines, the follower coupon, every line's stock taken at once.
    The shopper also gets the order card in the chat. The cart is left alone.
    :raise RecipientMissing: none posted and none saved; nothing was reserved.
    :raise OrderTooLarge: more than the bank takes in one payment; nothing was reserved.
    :raise SoldOut: `lines` holds every line's status; nothing was reserved.
    """
    try:
        return db.run(lambda uow: _place_posted_order(uow, user_id, request, hold_minutes, now))
    except SoldOut:
        # As in the chat: overdue orders may hold the missing units.
        if not db.run(release_overdue):
            raise
        return db.run(lambda uow: _place_posted_order(uow, user_id, request, hold_minutes, now))


def _place_posted_order(uow, user_id: str, request: OrderRequest, hold_minutes: int,
                        now: datetime | None) -> Order:
    cur = uow.cur
    now = now or datetime.now(timezone.utc)
    wanted = {line.product_id: line.count for line in request.lines}
    found = products.get_products(cur, list(wanted))
    statuses = line_statuses(request.lines, found)
    if not all(status.have_stock for status in statuses):
        raise SoldOut(names="、".join(s.name or f"#{s.product_id}" for s in statuses
                                     if not s.have_stock), lines=statuses)
    recipient = request.recipient or shoppers.get_recipient(cur, user_id)
    if recipient is None:
        raise RecipientMissing()
    # The snapshot: names, prices and pictures as they are now, in the order they were posted.
    by_id = {product.id: product for product in found}
    lines = [CartLine(p.id, p.name, p.price, wanted[p.id], p.stock, p.image_url)
             for p in (by_id[line.product_id] for line in request.lines)]
    check_order_total(sum(line.amount for line in lines))
    coupon_id, totals = claim_for_checkout(cur, user_id, lines, now)
    expires_at = now + timedelta(minutes=hold_minutes)
    order_id = orders.insert_order(
        cur, user_id=user_id, lines=lines, subtotal=totals.subtotal, discount=totals.discount,
        total=totals.total, coupon_id=coupon_id, expires_at=expires_at, recipient=recipient)
    # Stock last, as in the chat; a line another order took first rolls everything back.
    reserved = products.reserve_stock(cur, wanted)
    if len(reserved) < len(wanted):
        statuses = line_statuses(request.lines, products.get_products(cur, list(wanted)),
                                 frozenset(wanted) - reserved)
        raise SoldOut(names="、".join(s.name or "" for s in statuses if not s.have_stock),
                      lines=statuses)
    uow.record(OrderPlaced(user_id, order_id, lines, totals, expires_at, recipient))
    return orders.get_order(cur, order_id)
