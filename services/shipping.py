"""Shipping a paid order and telling the shopper."""
from db import audit, orders, shoppers
from models import messages
from models.admin_errors import NotShippable, OrderMissing
from models.audit import ORDER_SHIPPED, Actor
from services.answers import push_to


def ship(db, order_id: int, tracking_note: str, actor: Actor) -> list[dict]:
    """Mark a paid order shipped, record it in the audit trail and queue the shopper's notice,
    all in one transaction.

    Returns the queued outbox rows for the caller to send after commit.
    :raise OrderMissing: no such order.
    :raise NotShippable: the order isn't paid (unpaid, closed, or shipped already).
    """
    tracking_note = tracking_note.strip()[:500]

    def work(cur):
        order = orders.get_order(cur, order_id, for_update=True)
        if order is None:
            raise OrderMissing()
        if not orders.mark_shipped(cur, order_id, tracking_note):
            raise NotShippable()
        audit.record(cur, actor, ORDER_SHIPPED, "order", order_id, before={"status": order.status},
                     after={"status": "shipped", "tracking_note": tracking_note})
        language = shoppers.get_language(cur, order.user_id)
        return [push_to(cur, order.user_id, [messages.text(
            "order_shipped", language, order_id=order_id, note=tracking_note)])]
    return db.run(work)
