"""SQL for orders, their snapshot lines and their stock reservations."""
from datetime import datetime

from models.records import CartLine, Order, OrderLine, Recipient

ORDER_COLUMNS = """
    id, user_id, status, subtotal, discount, total, expires_at, created_at, flagged, flag_note,
    recipient_name, recipient_phone, recipient_address, tracking_note, paid_at, shipped_at
"""


def reserve_lines(cur, user_id: str, lines: list[CartLine]) -> tuple[int, list[str]]:
    """Take exactly these lines out of the cart and their stock out of the shop: one statement.

    Returns how many lines were still in the cart and the names of those without enough
    stock; the caller rolls back unless every line was taken and reserved.
    """
    cur.execute(
        """
        WITH wanted AS (
            SELECT * FROM unnest(%(ids)s::int[], %(quantities)s::int[]) AS w (product_id, quantity)
        ), cart AS (
            -- Deleting the lines locks them: a second checkout of the same cart waits, then
            -- finds them gone. A rollback puts them back.
            DELETE FROM cart_items c USING wanted w
            WHERE c.user_id = %(user_id)s AND c.product_id = w.product_id
              AND c.quantity = w.quantity
            RETURNING c.product_id, c.quantity
        ), reserved AS (
            UPDATE products p SET stock = p.stock - cart.quantity
            FROM cart
            WHERE p.id = cart.product_id AND p.active AND p.stock >= cart.quantity
            RETURNING p.id
        )
        SELECT (SELECT count(*) FROM cart) AS taken,
               ARRAY(SELECT p.name FROM cart JOIN products p ON p.id = cart.product_id
                     WHERE cart.product_id NOT IN (SELECT id FROM reserved)
                     ORDER BY p.id) AS short
        """,
        {"user_id": user_id, "ids": [line.product_id for line in lines],
         "quantities": [line.quantity for line in lines]},
    )
    row = cur.fetchone()
    return row["taken"], row["short"]


def insert_order(cur, *, user_id: str, lines: list[CartLine], subtotal: int, discount: int,
                 total: int, coupon_id: int | None, expires_at: datetime,
                 recipient: Recipient | None) -> int:
    """Insert the order with its snapshot lines: one statement, however many lines."""
    cur.execute(
        """
        WITH new_order AS (
            INSERT INTO orders (user_id, subtotal, discount, total, coupon_id, expires_at,
                                recipient_name, recipient_phone, recipient_address)
            VALUES (%(user_id)s, %(subtotal)s, %(discount)s, %(total)s, %(coupon_id)s,
                    %(expires_at)s, %(r_name)s, %(r_phone)s, %(r_address)s)
            RETURNING id
        ), items AS (
            INSERT INTO order_items (order_id, product_id, name, unit_price, image_url, quantity)
            SELECT new_order.id, line.*
            FROM new_order,
                 unnest(%(ids)s::int[], %(names)s::text[], %(prices)s::int[],
                        %(images)s::text[], %(quantities)s::int[]) AS line
        )
        SELECT id FROM new_order
        """,
        {
            "user_id": user_id, "subtotal": subtotal, "discount": discount, "total": total,
            "coupon_id": coupon_id, "expires_at": expires_at,
            "r_name": recipient.name if recipient else None,
            "r_phone": recipient.phone if recipient else None,
            "r_address": recipient.address if recipient else None,
            "ids": [line.product_id for line in lines],
            "names": [line.name for line in lines],
            "prices": [line.price for line in lines],
            "images": [line.image_url for line in lines],
            "quantities": [line.quantity for line in lines],
        },
    )
    return cur.fetchone()["id"]


def release_orders(cur, new_status: str, *, order_id: int | None = None,
                   overdue_only: bool = False) -> list[dict]:
    """Close pending orders (expired or cancelled), return their stock and void their attempts.

    Only rows still 'pending' move, so two releasers never return the same stock twice.
    """
    cur.execute(
        """
        WITH closed AS (
            UPDATE orders SET status = %(status)s, closed_at = now()
            WHERE status = 'pending'
              AND (%(order_id)s::bigint IS NULL OR id = %(order_id)s)
              AND (NOT %(overdue_only)s OR expires_at < now())
            RETURNING id, user_id
        ), returned AS (
            UPDATE products p SET stock = p.stock + back.quantity
            FROM (SELECT oi.product_id, sum(oi.quantity) AS quantity
                  FROM order_items oi JOIN closed ON closed.id = oi.order_id
                  GROUP BY oi.product_id) AS back
            WHERE p.id = back.product_id
        ), voided AS (
            UPDATE payment_attempts SET status = 'void', updated_at = now()
            WHERE order_id IN (SELECT id FROM closed) AND status IN ('new', 'open', 'error')
        )
        SELECT id, user_id FROM closed ORDER BY id
        """,
        {"status": new_status, "order_id": order_id, "overdue_only": overdue_only},
    )
    return cur.fetchall()


def _order(row, lines=()) -> Order:
    recipient = None
    if row["recipient_name"]:
        recipient = Recipient(row["recipient_name"], row["recipient_phone"],
                              row["recipient_address"])
    fields = {k: v for k, v in row.items() if not k.startswith("recipient_")}
    return Order(**fields, recipient=recipient, lines=tuple(lines))


def get_order(cur, order_id: int, *, for_update: bool = False) -> Order | None:
    """One order with its lines; `for_update` locks the order row for a state change."""
    lock = "FOR UPDATE" if for_update else ""
    cur.execute(f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = %(id)s {lock}", {"id": order_id})
    row = cur.fetchone()
    if row is None:
        return None
    return _order(row, get_order_lines(cur, [order_id]).get(order_id, []))


def get_order_lines(cur, order_ids: list[int]) -> dict[int, list[OrderLine]]:
    cur.execute(
        """
        SELECT order_id, product_id, name, unit_price, quantity, image_url
        FROM order_items
        WHERE order_id = ANY(%(ids)s)
        ORDER BY order_id, product_id
        """,
        {"ids": list(order_ids)},
    )
    lines: dict[int, list[OrderLine]] = {}
    for row in cur.fetchall():
        lines.setdefault(row.pop("order_id"), []).append(OrderLine(**row))
    return lines


def list_orders_for(cur, user_id: str, limit: int = 5) -> list[Order]:
    """A shopper's most recent orders, newest first, with their lines."""
    cur.execute(
        f"""
        SELECT {ORDER_COLUMNS} FROM orders
        WHERE user_id = %(user_id)s
        ORDER BY id DESC
        LIMIT %(limit)s
        """,
        {"user_id": user_id, "limit": limit},
    )
    rows = cur.fetchall()
    lines = get_order_lines(cur, [row["id"] for row in rows]) if rows else {}
    return [_order(row, lines.get(row["id"], [])) for row in rows]


def extend_hold(cur, order_id: int, expires_at: datetime) -> None:
    """Hold a pending order at least until `expires_at`; a hold is never shortened.

    An earlier attempt (an ATM account) stays payable at the bank until its own deadline,
    so the hold is the latest deadline of the attempts made.
    """
    cur.execute(
        """
        UPDATE orders SET expires_at = GREATEST(expires_at, %(at)s)
        WHERE id = %(id)s AND status = 'pending'
        """,
        {"at": expires_at, "id": order_id})


def mark_paid(cur, order_id: int) -> None:
    cur.execute("UPDATE orders SET status = 'paid', paid_at = now() WHERE id = %(id)s",
                {"id": order_id})


def flag_order(cur, order_id: int, note: str) -> None:
    """Put an order in front of the shop owner (paid after expiry, paid twice, wrong amount).

    A note already there is not added again: a replayed notice flags once.
    """
    cur.execute(
        """
        UPDATE orders
        SET flagged = true,
            flag_note = concat_ws(' / ', flag_note, %(note)s::text)
        WHERE id = %(id)s
          AND position(%(note)s::text IN coalesce(flag_note, '')) = 0
        """,
        {"id": order_id, "note": note},
    )


def search_orders(cur, *, status: str | None, created_from: datetime | None,
                  created_to: datetime | None, search: str | None, limit: int,
                  offset: int) -> list[dict]:
    """Orders for the back office, flagged first then newest, each with `total_count` of all matches.

    `search` matches an order id or one of its bank OrderNos exactly.
    """
    cur.execute(
        """
        SELECT o.id, o.user_id, s.display_name, o.status, o.total, o.created_at, o.paid_at,
               o.shipped_at, o.flagged, o.flag_note, o.recipient_name,
               count(*) OVER () AS total_count
        FROM orders o
        LEFT JOIN shoppers s ON s.user_id = o.user_id
        WHERE (%(status)s::text IS NULL OR o.status = %(status)s)
          AND (%(created_from)s::timestamptz IS NULL OR o.created_at >= %(created_from)s)
          AND (%(created_to)s::timestamptz IS NULL OR o.created_at < %(created_to)s)
          AND (%(search)s::text IS NULL
               OR o.id::text = %(search)s
               OR EXISTS (SELECT 1 FROM payment_attempts pa
                          WHERE pa.order_id = o.id AND pa.order_no = %(search)s))
        ORDER BY o.flagged DESC, o.id DESC
        LIMIT %(limit)s
        OFFSET %(offset)s
        """,
        {"status": status, "created_from": created_from, "created_to": created_to,
         "search": search, "limit": limit, "offset": offset},
    )
    return cur.fetchall()


def mark_shipped(cur, order_id: int, tracking_note: str) -> bool:
    """Ship a paid order; False when it isn't 'paid' (never paid, or shipped already) or a
    refund put its stock back."""
    cur.execute(
        """
        UPDATE orders
        SET status = 'shipped', shipped_at = now(), tracking_note = %(note)s
        WHERE id = %(id)s
          AND status = 'paid'
          AND restocked_at IS NULL
        RETURNING id
        """,
        {"id": order_id, "note": tracking_note},
    )
    return cur.fetchone() is not None


def sales_between(cur, start: datetime, end: datetime) -> dict:
    """Orders placed in [start, end) and revenue (paid or shipped totals) paid in it."""
    cur.execute(
        """
        SELECT
            (SELECT count(*) FROM orders
             WHERE created_at >= %(start)s AND created_at < %(end)s) AS orders,
            (SELECT COALESCE(sum(total), 0) FROM orders
             WHERE status IN ('paid', 'shipped')
               AND paid_at >= %(start)s AND paid_at < %(end)s) AS revenue
        """,
        {"start": start, "end": end},
    )
    return cur.fetchone()


def revenue_per_day(cur, since: datetime) -> list[dict]:
    """Revenue (paid or shipped totals) per Asia/Taipei day of payment, since `since`."""
    cur.execute(
        """
        SELECT (paid_at AT TIME ZONE 'Asia/Taipei')::date AS day, sum(total) AS revenue
        FROM orders
        WHERE status IN ('paid', 'shipped')
          AND paid_at >= %(since)s
        GROUP BY day
        ORDER BY day
        """,
        {"since": since},
    )
    return cur.fetchall()
