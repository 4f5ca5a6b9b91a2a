"""Use cases on a shopper's cart."""
from datetime import datetime, timezone

from db import carts, coupons
from models import cart as cart_rules
from models.errors import OutOfStock
from models.events import CartChanged, CartShown, UnavailableDropped
from models.order import order_totals
from services.orders import release_overdue


def change_quantity(db, user_id: str, product_id: int, amount: int, *,
                    relative: bool) -> CartChanged:
    """Set (or change by `amount`) one cart line; the shopper sees the cart.

    :raise ShopError: unknown product, impossible quantity, not enough stock; nothing changes.
    """
    def work(uow):
        cur = uow.cur
        product, in_cart = carts.get_cart_entry(cur, user_id, product_id)
        try:
            quantity = cart_rules.new_quantity(product, product_id, in_cart, amount, relative)
        except OutOfStock:
            # Stock held by overdue orders comes back before we say no.
            if not release_overdue(uow):
                raise
            product, in_cart = carts.get_cart_entry(cur, user_id, product_id)
            quantity = cart_rules.new_quantity(product, product_id, in_cart, amount, relative)
        lines = carts.set_quantity(cur, user_id, product_id, quantity)
        coupon = coupons.get_coupon_for(cur, user_id)
        changed = CartChanged(user_id, lines, order_totals(lines, coupon, _now()), coupon,
                              product, quantity)
        uow.record(changed)
        return changed
    return db.run(work)


def show(db, user_id: str) -> CartShown:
    """The cart's lines, coupon and totals."""
    def work(uow):
        lines = carts.get_cart(uow.cur, user_id)
        coupon = coupons.get_coupon_for(uow.cur, user_id)
        shown = CartShown(user_id, lines, order_totals(lines, coupon, _now()), coupon)
        uow.record(shown)
        return shown
    return db.run(work)


def drop_unavailable(db, user_id: str) -> UnavailableDropped:
    """Remove the lines of products taken off sale; the shopper sees what is left."""
    def work(uow):
        names = carts.remove_unavailable(uow.cur, user_id)
        lines = carts.get_cart(uow.cur, user_id)
        coupon = coupons.get_coupon_for(uow.cur, user_id)
        dropped = UnavailableDropped(user_id, lines, order_totals(lines, coupon, _now()), coupon,
                                     names)
        uow.record(dropped)
        return dropped
    return db.run(work)


def _now() -> datetime:
    return datetime.now(timezone.utc)
