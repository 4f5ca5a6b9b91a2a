"""SQL for reminders: what is due, claimed with SKIP LOCKED, and the key that sends each once."""

# The cart's version: its last change, to the microsecond (any change makes a new one).
CART_VERSION = "(extract(epoch FROM c.changed_at) * 1000000)::bigint::text"

ATM_DUE = """
    FROM orders o
    JOIN shoppers s ON s.user_id = o.user_id AND s.following
    JOIN LATERAL (
        SELECT * FROM payment_attempts pa
        WHERE pa.order_id = o.id
        ORDER BY pa.id DESC
        LIMIT 1
    ) a ON a.pay_type = 'A' AND a.status = 'open'
    WHERE o.status = 'pending'
      AND o.expires_at > now()
      AND o.expires_at <= now() + make_interval(hours => %(atm_hours)s)
      AND NOT EXISTS (SELECT 1 FROM reminders_sent r
                      WHERE r.kind = 'atm' AND r.subject = o.id::text AND r.version = a.id::text)
"""

CART_DUE = f"""
    FROM shoppers s
    JOIN (SELECT user_id, max(changed_at) AS changed_at FROM cart_items GROUP BY user_id) c
      ON c.user_id = s.user_id
    WHERE s.following AND s.cart_reminders
      AND c.changed_at < now() - make_interval(hours => %(cart_hours)s)
      AND NOT EXISTS (SELECT 1 FROM reminders_sent r
                      WHERE r.kind = 'cart' AND r.subject = s.user_id
                        AND r.version = {CART_VERSION})
"""


def count_due(cur, *, atm_hours: int, cart_hours: int) -> int:
    """How many reminders are due now (a cheap look before asking LINE about the quota)."""
    cur.execute(
        f"SELECT (SELECT count(*) {ATM_DUE}) + (SELECT count(*) {CART_DUE}) AS n",
        {"atm_hours": atm_hours, "cart_hours": cart_hours},
    )
    return cur.fetchone()["n"]


def claim_atm(cur, *, atm_hours: int, limit: int) -> list[dict]:
    """Due ATM reminders, their orders locked; orders another sender holds are skipped."""
    cur.execute(
        f"""
        SELECT o.id AS order_id, o.user_id, o.expires_at, s.language, a.id AS attempt_id
        {ATM_DUE}
        ORDER BY o.expires_at
        LIMIT %(limit)s
        FOR UPDATE OF o SKIP LOCKED
        """,
        {"atm_hours": atm_hours, "limit": limit},
    )
    return cur.fetchall()


def claim_carts(cur, *, cart_hours: int, limit: int) -> list[dict]:
    """Due cart reminders, their shoppers locked; shoppers another sender holds are skipped."""
    cur.execute(
        f"""
        SELECT s.user_id, s.language, {CART_VERSION} AS version
        {CART_DUE}
        ORDER BY c.changed_at
        LIMIT %(limit)s
        FOR UPDATE OF s SKIP LOCKED
        """,
        {"cart_hours": cart_hours, "limit": limit},
    )
    return cur.fetchall()


def mark_sent(cur, kind: str, subject: str, version: str) -> bool:
    """Take a reminder's key; False when it was sent already (the caller queues nothing)."""
    cur.execute(
        """
        INSERT INTO reminders_sent (kind, subject, version)
        VALUES (%(kind)s, %(subject)s, %(version)s)
        ON CONFLICT DO NOTHING
        RETURNING kind
        """,
        {"kind": kind, "subject": subject, "version": version},
    )
    return cur.fetchone() is not None
