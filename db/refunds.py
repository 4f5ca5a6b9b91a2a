"""SQL for refunds and the stock a refund returns."""
from datetime import datetime

from models.records import Refund

COLUMNS = """
    id, order_id, attempt_id, amount, method, status, reason, note, restock, created_at,
    created_by, bank_call_until, bank_description, request_key
"""


def list_refunds(cur, order_id: int) -> list[Refund]:
    """The order's refunds, oldest first."""
    cur.execute(f"SELECT {COLUMNS} FROM refunds WHERE order_id = %(id)s ORDER BY id",
                {"id": order_id})
    return [Refund(**row) for row in cur.fetchall()]


def create_refund(cur, *, order_id: int, attempt_id: int, amount: int, method: str,
                  status: str, reason: str, note: str | None, restock: bool,
                  bank_call_seconds: float | None, created_by: int | None,
                  request_key: str | None) -> Refund:
    """A new refund; a card refund is 'pending' with its bank call's deadline.

    The partial unique index refunds_one_pending_idx refuses a second pending one.
    """
    cur.execute(
        f"""
        INSERT INTO refunds (order_id, attempt_id, amount, method, status, reason, note, restock,
                             bank_call_until, settled_at, created_by, request_key)
        VALUES (%(order_id)s, %(attempt_id)s, %(amount)s, %(method)s, %(status)s, %(reason)s,
                %(note)s, %(restock)s,
                now() + make_interval(secs => %(seconds)s::float),
                CASE WHEN %(status)s = 'pending' THEN NULL ELSE now() END, %(created_by)s,
                %(request_key)s)
        RETURNING {COLUMNS}
        """,
        {"order_id": order_id, "attempt_id": attempt_id, "amount": amount, "method": method,
         "status": status, "reason": reason, "note": note, "restock": restock,
         "seconds": bank_call_seconds, "created_by": created_by,
         "request_key": request_key},
    )
    return Refund(**cur.fetchone())


def find_open(cur, order_id: int, request_key: str | None) -> Refund | None:
    """The refund this request made before (same key), else the order's pending one, if any."""
    cur.execute(
        f"""
        SELECT {COLUMNS} FROM refunds
        WHERE order_id = %(id)s AND (status = 'pending' OR request_key = %(key)s)
        ORDER BY request_key IS NOT DISTINCT FROM %(key)s DESC, id DESC
        LIMIT 1
        """,
        {"id": order_id, "key": request_key},
    )
    row = cur.fetchone()
    return Refund(**row) if row else None


def finish_refund(cur, refund_id: int, status: str, description: str | None) -> bool:
    """Settle a pending refund as 'done' or 'failed'; False when it was settled already."""
    cur.execute(
        """
        UPDATE refunds
        SET status = %(status)s, bank_description = %(desc)s, settled_at = now()
        WHERE id = %(id)s AND status = 'pending'
        RETURNING id
        """,
        {"id": refund_id, "status": status, "desc": (description or "")[:500] or None},
    )
    return cur.fetchone() is not None


def end_bank_call(cur, refund_id: int, description: str) -> None:
    """Our bank call ended without an answer: a retry may ask OrderQuery at once."""
    cur.execute(
        """
        UPDATE refunds SET bank_call_until = now(), bank_description = %(desc)s
        WHERE id = %(id)s AND status = 'pending'
        """,
        {"id": refund_id, "desc": description[:500]},
    )


def restock(cur, order_id: int) -> int:
    """Return the units of a paid, unshipped order to stock, once; returns how many went back.

    Only a 'paid' order still holds its stock (shipped: gone; expired or cancelled: released).
    """
    cur.execute(
        """
        WITH marked AS (
            UPDATE orders SET restocked_at = now()
            WHERE id = %(id)s AND status = 'paid' AND restocked_at IS NULL
            RETURNING id
        ), lines AS (
            SELECT oi.product_id, oi.quantity
            FROM order_items oi JOIN marked ON marked.id = oi.order_id
        ), returned AS (
            UPDATE products p SET stock = p.stock + lines.quantity
            FROM lines WHERE p.id = lines.product_id
        )
        SELECT COALESCE(sum(quantity), 0)::int AS units FROM lines
        """,
        {"id": order_id},
    )
    return cur.fetchone()["units"]


def restocked_at(cur, order_id: int) -> datetime | None:
    cur.execute("SELECT restocked_at FROM orders WHERE id = %(id)s", {"id": order_id})
    row = cur.fetchone()
    return row["restocked_at"] if row else None
