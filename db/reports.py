"""SQL for the back office's read-only reports: the shipping list and the dashboard funnel."""
from datetime import datetime


def shipping_list(cur, *, status: str | None, created_from: datetime | None,
                  created_to: datetime | None, search: str | None) -> list[dict]:
    """Orders matching the orders page's filter, oldest first, each with its lines and how it
    was paid (`paid_by` 'A' ATM, 'C' card, None unpaid)."""
    cur.execute(
        """
        SELECT o.id, o.created_at, o.status, o.recipient_name, o.recipient_phone,
               o.recipient_address, o.total,
               (SELECT pa.pay_type FROM payment_attempts pa
                WHERE pa.order_id = o.id AND pa.status = 'paid'
                ORDER BY pa.id
                LIMIT 1) AS paid_by,
               ARRAY(SELECT json_build_object('name', oi.name, 'quantity', oi.quantity)
                     FROM order_items oi
                     WHERE oi.order_id = o.id
                     ORDER BY oi.product_id) AS items
        FROM orders o
        WHERE (%(status)s::text IS NULL OR o.status = %(status)s)
          AND (%(created_from)s::timestamptz IS NULL OR o.created_at >= %(created_from)s)
          AND (%(created_to)s::timestamptz IS NULL OR o.created_at < %(created_to)s)
          AND (%(search)s::text IS NULL
               OR o.id::text = %(search)s
               OR EXISTS (SELECT 1 FROM payment_attempts pa
                          WHERE pa.order_id = o.id AND pa.order_no = %(search)s))
        ORDER BY o.id
        """,
        {"status": status, "created_from": created_from, "created_to": created_to,
         "search": search},
    )
    return cur.fetchall()
