"""SQL for bank notices: PayTokens stored at once, confirmed with the bank by the workers."""

LEASE = "interval '60 seconds'"


def store(cur, pay_token: str) -> bool:
    """Keep a notice's PayToken; False when it was already stored (a replay costs nothing)."""
    cur.execute(
        """
        INSERT INTO bank_notices (pay_token) VALUES (%(token)s)
        ON CONFLICT (pay_token) DO NOTHING
        RETURNING pay_token
        """,
        {"token": pay_token},
    )
    return cur.fetchone() is not None


def claim(cur, *, limit: int = 10, pay_token: str | None = None) -> list[dict]:
    """Lease pending notices (or just `pay_token`) that no worker holds."""
    cur.execute(
        f"""
        UPDATE bank_notices SET locked_until = now() + {LEASE}, attempts = attempts + 1
        WHERE pay_token IN (
            SELECT pay_token FROM bank_notices
            WHERE status = 'pending'
              AND locked_until <= now()
              AND (%(token)s::text IS NULL OR pay_token = %(token)s)
            ORDER BY received_at
            LIMIT %(limit)s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING pay_token, attempts
        """,
        {"limit": limit, "token": pay_token},
    )
    return cur.fetchall()


def mark_done(cur, pay_token: str, order_id: int | None) -> None:
    cur.execute(
        """
        UPDATE bank_notices SET status = 'done', order_id = %(order_id)s, processed_at = now()
        WHERE pay_token = %(token)s AND status = 'pending'
        """,
        {"token": pay_token, "order_id": order_id},
    )


def mark_failed(cur, pay_token: str, error: str, *, give_up: bool, retry_in_seconds: int) -> None:
    """Record a failure; the notice is asked about again later unless it is hopeless."""
    cur.execute(
        """
        UPDATE bank_notices
        SET status = CASE WHEN %(give_up)s THEN 'dead' ELSE status END,
            last_error = %(error)s, processed_at = CASE WHEN %(give_up)s THEN now() END,
            locked_until = now() + make_interval(secs => %(delay)s)
        WHERE pay_token = %(token)s AND status = 'pending'
        """,
        {"token": pay_token, "error": error[:500], "give_up": give_up,
         "delay": retry_in_seconds},
    )


def get_notice(cur, pay_token: str) -> dict | None:
    cur.execute("SELECT status, order_id FROM bank_notices WHERE pay_token = %(token)s",
                {"token": pay_token})
    return cur.fetchone()


def prune(cur, days: int) -> int:
    """Delete notices settled (done or dead) more than `days` ago; pending ones stay."""
    cur.execute(
        """
        DELETE FROM bank_notices
        WHERE status IN ('done', 'dead')
          AND coalesce(processed_at, received_at) < now() - make_interval(days => %(days)s)
        """,
        {"days": days},
    )
    return cur.rowcount
