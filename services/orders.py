"""Orders after checkout: listing, reading, cancelling, and expiring the unpaid ones."""
from db import audit, orders, payments
from models.audit import ORDER_CANCELLED, Actor
from models.errors import NotCancellable, OrderNotFound
from models.events import OrderCancelled, OrderExpired, OrdersShown
from models.records import Order, PaymentAttempt


def show_recent(db, user_id: str, limit: int = 5) -> OrdersShown:
    """The shopper's recent orders and their status."""
    def work(uow):
        shown = OrdersShown(user_id, orders.list_orders_for(uow.cur, user_id, limit))
        uow.record(shown)
        return shown
    return db.run(work)


def cancel(db, order_id: int, *, shopper_id: str | None = None,
           actor: Actor | None = None) -> OrderCancelled:
    """Cancel an unpaid order: its stock goes back, open payments are voided, the shopper is told.

    The shopper asking (`shopper_id`) may cancel only their own order; the shop owner
    (`actor`) any, and the audit trail names the units returned to stock.
    :raise OrderNotFound: no such order (for this shopper).
    :raise NotCancellable: it is not pending any more.
    """
    def work(uow):
        order = orders.get_order(uow.cur, order_id, for_update=True)
        if order is None or shopper_id is not None and order.user_id != shopper_id:
            raise OrderNotFound()
        if not orders.release_orders(uow.cur, "cancelled", order_id=order_id):
            raise NotCancellable(order_id=order_id, status=order.status)
        if actor is not None:
            audit.record(uow.cur, actor, ORDER_CANCELLED, "order", order_id,
                         before={"status": order.status},
                         after={"status": "cancelled", "restocked": {
                             str(line.product_id): line.quantity for line in order.lines}})
        cancelled = OrderCancelled(order.user_id, order_id)
        uow.record(cancelled)
        return cancelled
    return db.run(work)


def release_overdue(uow) -> list[OrderExpired]:
    """Expire every pending order past its deadline and return its stock; the shoppers are told.

    Runs inside the caller's unit of work, so the notices leave right after its commit.
    """
    expired = [OrderExpired(row["user_id"], row["id"])
               for row in orders.release_orders(uow.cur, "expired", overdue_only=True)]
    for notice in expired:
        uow.record(notice)
    return expired


def expire_overdue(db) -> list[OrderExpired]:
    """`flask expire-orders`: the scheduled sweep."""
    return db.run(release_overdue)


def order_for(db, user_id: str, order_id: int) -> tuple[Order, PaymentAttempt | None]:
    """One of the shopper's orders and its latest payment attempt.

    :raise OrderNotFound: no such order, or another shopper's (the same answer for both).
    """
    with db.transaction() as cur:
        order = orders.get_order(cur, order_id)
        if order is None or order.user_id != user_id:
            raise OrderNotFound()
        attempts = payments.list_attempts_for_order(cur, order_id)
        return order, attempts[-1] if attempts else None


def recent_orders(db, user_id: str, limit: int = 20) -> list[Order]:
    """The shopper's latest orders, newest first (nothing is sent to the chat)."""
    with db.transaction() as cur:
        return orders.list_orders_for(cur, user_id, limit)
