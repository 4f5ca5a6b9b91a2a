"""Order again: an expired (or any earlier) order's items go back in the cart."""
from datetime import datetime, timezone

from db import carts, coupons, orders
from models.errors import OrderNotFound
from models.events import Reordered
from models.order import order_totals


def reorder(db, user_id: str, order_id: int) -> Reordered:
    """Put each of the order's products still on sale back in the cart (as many as are in
    stock, never fewer than already there); the shopper sees the cart.

    :raise OrderNotFound: no such order, or another shopper's.
    """
    def work(uow):
        cur = uow.cur
        order = orders.get_order(cur, order_id)
        if order is None or order.user_id != user_id:
            raise OrderNotFound()
        added = 0
        for line in order.lines:
            product, in_cart = carts.get_cart_entry(cur, user_id, line.product_id)
            if product is None or not product.active or product.stock <= 0:
                continue
            carts.set_quantity(cur, user_id, product.id,
                               max(in_cart, min(line.quantity, product.stock)))
            added += 1
        lines = carts.get_cart(cur, user_id)
        coupon = coupons.get_coupon_for(cur, user_id)
        done = Reordered(user_id, lines, order_totals(lines, coupon, datetime.now(timezone.utc)),
                         coupon, order_id, added)
        uow.record(done)
        return done
    return db.run(work)
