"""Checkout: the cart becomes an order holding its stock, all or nothing."""
from datetime import datetime, timedelta, timezone

from db import carts, orders, products, shoppers
from models import cart as cart_rules
from models import messages
from models.errors import EmptyCart, RecipientMissing, SoldOut
from models.order import check_order_total
from models.order_request import OrderRequest, line_statuses
from models.records import CartLine, Order
from services.answers import Answer
from services.coupons import claim_for_checkout
from services.orders import release_overdue


def checkout(db, answer: Answer, *, hold_minutes: int,
             now: datetime | None = None) -> int | None:
    """Reserve every cart line and create the order in one transaction; returns its id.

    The shopper's coupon is applied (and spent) when it covers the subtotal. Lines the owner
    took off sale are named, with a button to drop them; then nothing is ordered (None).
    :raise EmptyCart: nothing to order.
    :raise RecipientMissing: no delivery details yet; nothing was reserved.
    :raise OrderTooLarge: more than the bank takes in one payment; nothing was reserved.
    :raise SoldOut: some line can't be covered; nothing was reserved, the cart is kept.
    """
    try:
        return db.run(lambda cur: _place_order(cur, answer, hold_minutes, now))
    except SoldOut:
        # Overdue orders may hold the missing units: release them and try once more.
        if not db.run(release_overdue):
            raise
        return db.run(lambda cur: _place_order(cur, answer, hold_minutes, now))


def _place_order(cur, answer: Answer, hold_minutes: int, now: datetime | None) -> int | None:
    now = now or datetime.now(timezone.utc)
    lines = carts.get_cart(cur, answer.user_id)
    if not lines:
        raise EmptyCart()
    unavailable = cart_rules.unavailable(lines)
    if unavailable:
        answer.send(cur, messages.unavailable_at_checkout(unavailable, answer.language))
        return None
    recipient = shoppers.get_recipient(cur, answer.user_id)
    if recipient is None:
        raise RecipientMissing()
    subtotal = sum(line.amount for line in lines)
    check_order_total(subtotal)  # before any row is written, so nothing overflows or moves
    coupon_id, discount = claim_for_checkout(cur, answer.user_id, subtotal, now)
    total = subtotal - discount
    expires_at = now + timedelta(minutes=hold_minutes)
    order_id = orders.insert_order(
        cur, user_id=answer.user_id, lines=lines, subtotal=subtotal, discount=discount,
        total=total, coupon_id=coupon_id, expires_at=expires_at, recipient=recipient)
    # Stock is taken last, so the busiest rows (a hot product) stay locked only until commit.
    # Raising below rolls back the order, the coupon and the reservation together.
    taken, short = orders.reserve_lines(cur, answer.user_id, lines)
    if taken < len(lines):
        raise EmptyCart()  # another checkout of this same cart got there first
    if short:
        raise SoldOut(names="、".join(short))
    answer.send(cur, messages.order_created(order_id, lines, subtotal, discount, total,
                                            expires_at, answer.language, recipient))
    return order_id


def checkout_lines(db, answer: Answer, request: OrderRequest, *, hold_minutes: int,
                   now: datetime | None = None) -> Order:
    """The order API's checkout: posted lines, not the chat's cart, under the same rule.

    One transaction: snapshot lines, the follower coupon, every line's stock taken at once.
    The shopper also gets the order card in the chat. The cart is left alone.
    :raise RecipientMissing: none posted and none saved; nothing was reserved.
    :raise OrderTooLarge: more than the bank takes in one payment; nothing was reserved.
    :raise SoldOut: `lines` holds every line's status; nothing was reserved.
    """
    try:
        return db.run(lambda cur: _place_posted_order(cur, answer, request, hold_minutes, now))
    except SoldOut:
        # As in the chat: overdue orders may hold the missing units.
        if not db.run(release_overdue):
            raise
        return db.run(lambda cur: _place_posted_order(cur, answer, request, hold_minutes, now))


def _place_posted_order(cur, answer: Answer, request: OrderRequest, hold_minutes: int,
                        now: datetime | None) -> Order:
    now = now or datetime.now(timezone.utc)
    wanted = {line.product_id: line.count for line in request.lines}
    found = products.get_products(cur, list(wanted))
    statuses = line_statuses(request.lines, found)
    if not all(status.have_stock for status in statuses):
        raise SoldOut(names="、".join(s.name or f"#{s.product_id}" for s in statuses
                                     if not s.have_stock), lines=statuses)
    recipient = request.recipient or shoppers.get_recipient(cur, answer.user_id)
    if recipient is None:
        raise RecipientMissing()
    # The snapshot: names, prices and pictures as they are now, in the order they were posted.
    by_id = {product.id: product for product in found}
    lines = [CartLine(p.id, p.name, p.price, wanted[p.id], p.stock, p.image_url)
             for p in (by_id[line.product_id] for line in request.lines)]
    subtotal = sum(line.amount for line in lines)
    check_order_total(subtotal)
    coupon_id, discount = claim_for_checkout(cur, answer.user_id, subtotal, now)
    total = subtotal - discount
    expires_at = now + timedelta(minutes=hold_minutes)
    order_id = orders.insert_order(
        cur, user_id=answer.user_id, lines=lines, subtotal=subtotal, discount=discount,
        total=total, coupon_id=coupon_id, expires_at=expires_at, recipient=recipient)
    # Stock last, as in the chat; a line another order took first rolls everything back.
    reserved = products.reserve_stock(cur, wanted)
    if len(reserved) < len(wanted):
        statuses = line_statuses(request.lines, products.get_products(cur, list(wanted)),
                                 frozenset(wanted) - reserved)
        raise SoldOut(names="、".join(s.name or "" for s in statuses if not s.have_stock),
                      lines=statuses)
    # The chat's language when the shopper set one there, else the page's.
    answer.language = shoppers.get_language(cur, answer.user_id) or answer.language
    answer.send(cur, messages.order_created(order_id, lines, subtotal, discount, total,
                                            expires_at, answer.language, recipient))
    return orders.get_order(cur, order_id)
