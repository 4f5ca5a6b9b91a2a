"""Shipping a paid order and telling the shopper."""
from db import audit, orders
from models.admin_errors import NotShippable
from models.audit import ORDER_SHIPPED, Actor
from models.errors import OrderNotFound
from models.events import OrderShipped


def ship(db, order_id: int, tracking_note: str, actor: Actor) -> OrderShipped:
    """Mark a paid order shipped and record it in the audit trail; the shopper's notice is
    queued in the same transaction.

    :raise OrderNotFound: no such order.
    :raise NotShippable: the order isn't paid (unpaid, closed, or shipped already).
    """
    tracking_note = tracking_note.strip()[:500]

    def work(uow):
        order = orders.get_order(uow.cur, order_id, for_update=True)
        if order is None:
            raise OrderNotFound()
        if not orders.mark_shipped(uow.cur, order_id, tracking_note):
            raise NotShippable()
        audit.record(uow.cur, actor, ORDER_SHIPPED, "order", order_id,
                     before={"status": order.status},
                     after={"status": "shipped", "tracking_note": tracking_note})
        shipped = OrderShipped(order.user_id, order_id, tracking_note)
        uow.record(shipped)
        return shipped
    return db.run(work)
