"""Order again: an expired (or any earlier) order's items go back in the cart."""
from db import carts, orders
from models import messages, notices
from models.errors import OrderNotFound
from services.answers import Answer
from services.coupons import coupon_for


def reorder(db, answer: Answer, order_id: int) -> int:
    """Put each of the order's products still on sale back in the cart (as many as are in
    stock, never fewer than already there), then answer with the cart; returns lines added.

    :raise OrderNotFound: no such order, or another shopper's.
    """
    def work(cur):
        order = orders.get_order(cur, order_id)
        if order is None or order.user_id != answer.user_id:
            raise OrderNotFound()
        added = 0
        for line in order.lines:
            product, in_cart = carts.get_cart_entry(cur, answer.user_id, line.product_id)
            if product is None or not product.active or product.stock <= 0:
                continue
            carts.set_quantity(cur, answer.user_id, product.id,
                               max(in_cart, min(line.quantity, product.stock)))
            added += 1
        lines = carts.get_cart(cur, answer.user_id)
        answer.send(cur, notices.reordered(order_id, added, answer.language) + messages.cart(
            lines, answer.language, coupon_for(cur, answer.user_id)))
        return added
    return db.run(work)
