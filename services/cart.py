"""Use cases on a shopper's cart."""
from db import carts
from models import cart as cart_rules
from models import messages
from models.errors import OutOfStock
from services.answers import Answer
from services.coupons import coupon_for
from services.orders import release_overdue


def change_quantity(db, answer: Answer, product_id: int, amount: int, *, relative: bool):
    """Set (or change by `amount`) one cart line, then answer with the cart.

    :raise ShopError: unknown product, impossible quantity, not enough stock; nothing changes.
    """
    def work(cur):
        product, in_cart = carts.get_cart_entry(cur, answer.user_id, product_id)
        try:
            quantity = cart_rules.new_quantity(product, product_id, in_cart, amount, relative)
        except OutOfStock:
            # Stock held by overdue orders comes back before we say no.
            if not release_overdue(cur):
                raise
            product, in_cart = carts.get_cart_entry(cur, answer.user_id, product_id)
            quantity = cart_rules.new_quantity(product, product_id, in_cart, amount, relative)
        lines = carts.set_quantity(cur, answer.user_id, product_id, quantity)
        answer.send(cur, messages.cart_changed(product, quantity, lines, answer.language,
                                               coupon_for(cur, answer.user_id)))
        return lines
    return db.run(work)


def show(db, answer: Answer):
    """Answer with the cart's lines, coupon, total and the order button."""
    with db.transaction() as cur:
        lines = carts.get_cart(cur, answer.user_id)
        answer.send(cur, messages.cart(lines, answer.language, coupon_for(cur, answer.user_id)))
        return lines


def drop_unavailable(db, answer: Answer) -> list[str]:
    """Remove the lines of products taken off sale, then answer with what is left."""
    with db.transaction() as cur:
        names = carts.remove_unavailable(cur, answer.user_id)
        lines = carts.get_cart(cur, answer.user_id)
        answer.send(cur, messages.unavailable_dropped(names, lines, answer.language,
                                                      coupon_for(cur, answer.user_id)))
        return names
