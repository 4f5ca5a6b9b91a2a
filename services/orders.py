"""A shopper's orders: listing, cancelling, and expiring the unpaid ones."""
from db import orders, payments, shoppers
from models import messages
from models.errors import OrderNotFound, OrderNotPayable
from models.records import Order, PaymentAttempt
from services.answers import Answer, push_to


def show_recent(db, answer: Answer, limit: int = 5):
    """Answer with the shopper's recent orders and their status."""
    with db.transaction() as cur:
        recent = orders.list_orders_for(cur, answer.user_id, limit)
        answer.send(cur, messages.order_list(recent, answer.language))
        return recent


def cancel(db, answer: Answer, order_id: int) -> None:
    """The shopper cancels their own unpaid order; its stock goes back.

    :raise OrderNotFound: no such order for this shopper.
    :raise OrderNotPayable: it is no longer pending.
    """
    def work(cur):
        order = orders.get_order(cur, order_id, for_update=True)
        if order is None or order.user_id != answer.user_id:
            raise OrderNotFound()
        if not orders.release_orders(cur, "cancelled", order_id=order_id):
            raise OrderNotPayable(order_id=order_id,
                                  status=messages.status_text(order.status, answer.language))
        answer.send(cur, [messages.text("order_cancelled", answer.language, order_id=order_id)])
    db.run(work)


def release_overdue(cur) -> list[dict]:
    """Expire every pending order past its deadline, return its stock and queue a notice.

    Returns the queued notices (the sweeper sends them; otherwise the poller does).
    """
    closed = orders.release_orders(cur, "expired", overdue_only=True)
    notices = []
    for row in closed:
        language = shoppers.get_language(cur, row["user_id"])
        notices.append(push_to(cur, row["user_id"], [messages.text(
            "order_expired_notice", language, order_id=row["id"])]))
    return notices


def expire_overdue(db) -> list[dict]:
    """`flask expire-orders`: the scheduled sweep; returns the notices to send."""
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
