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


def funnel(cur, since: datetime) -> dict:
    """Carts started, orders placed and orders paid since `since`.

    A checkout empties the cart, so a cart counts as started by a shopper who added to it
    (and still has it) or who placed an order in the period.
    """
    cur.execute(
        """
        SELECT
            (SELECT count(*) FROM (
                SELECT user_id FROM cart_items WHERE added_at >= %(since)s
                UNION
                SELECT user_id FROM orders WHERE created_at >= %(since)s) AS shoppers) AS carts,
            (SELECT count(*) FROM orders WHERE created_at >= %(since)s) AS orders,
            (SELECT count(*) FROM orders
             WHERE created_at >= %(since)s AND paid_at IS NOT NULL) AS paid
        """,
        {"since": since},
    )
    return cur.fetchone()


def best_sellers(cur, since: datetime, limit: int) -> list[dict]:
    """Products by units sold in orders paid (paid or shipped) since `since`, most first."""
    cur.execute(
        """
        SELECT oi.product_id,
               (array_agg(oi.name ORDER BY oi.order_id DESC))[1] AS name,
               sum(oi.quantity) AS units,
               sum(oi.quantity * oi.unit_price) AS amount
        FROM order_items oi
        JOIN orders o ON o.id = oi.order_id
        WHERE o.status IN ('paid', 'shipped')
          AND o.paid_at >= %(since)s
        GROUP BY oi.product_id
        ORDER BY units DESC, amount DESC, oi.product_id
        LIMIT %(limit)s
        """,
        {"since": since, "limit": limit},
    )
    return cur.fetchall()


def revenue_by_method(cur, since: datetime) -> list[dict]:
    """Revenue (paid or shipped totals) paid since `since`, per pay_type of the paying attempt."""
    cur.execute(
        """
        SELECT paying.pay_type, count(*) AS orders, sum(o.total) AS revenue
        FROM orders o
        CROSS JOIN LATERAL (
            SELECT pa.pay_type FROM payment_attempts pa
            WHERE pa.order_id = o.id AND pa.status = 'paid'
            ORDER BY pa.id
            LIMIT 1) AS paying
        WHERE o.status IN ('paid', 'shipped')
          AND o.paid_at >= %(since)s
        GROUP BY paying.pay_type
        ORDER BY paying.pay_type
        """,
        {"since": since},
    )
    return cur.fetchall()


def refunds_since(cur, since: datetime) -> dict:
    """Refunds done since `since`: how many and how much (card and ATM transfer together)."""
    cur.execute(
        """
        SELECT count(*) AS refunds, COALESCE(sum(amount), 0) AS amount
        FROM refunds
        WHERE status = 'done'
          AND created_at >= %(since)s
        """,
        {"since": since},
    )
    return cur.fetchone()
