"""SQL for shop-owner accounts, their API tokens and failed logins."""
from datetime import datetime


def save_admin(cur, email: str, password_hash: str) -> int:
    """Create the account, or set a new password on an existing one; returns its id."""
    cur.execute(
        """
        INSERT INTO admins (email, password_hash)
        VALUES (%(email)s, %(hash)s)
        ON CONFLICT (email) DO UPDATE
        SET password_hash = EXCLUDED.password_hash
        RETURNING id
        """,
        {"email": email, "hash": password_hash},
    )
    return cur.fetchone()["id"]


def get_admin_by_email(cur, email: str) -> dict | None:
    cur.execute("SELECT id, email, password_hash FROM admins WHERE email = %(email)s",
                {"email": email})
    return cur.fetchone()


def get_admin(cur, admin_id: int) -> dict | None:
    cur.execute("SELECT id, email FROM admins WHERE id = %(id)s", {"id": admin_id})
    return cur.fetchone()


def get_admin_by_token_hash(cur, token_hash: str) -> dict | None:
    cur.execute("SELECT id, email FROM admins WHERE api_token_hash = %(hash)s",
                {"hash": token_hash})
    return cur.fetchone()


def set_api_token_hash(cur, email: str, token_hash: str) -> int | None:
    """Replace the account's API token (the old one stops working); None if no such account."""
    cur.execute(
        """
        UPDATE admins
        SET api_token_hash = %(hash)s
        WHERE email = %(email)s
        RETURNING id
        """,
        {"email": email, "hash": token_hash},
    )
    row = cur.fetchone()
    return row["id"] if row else None


def count_login_failures(cur, email: str, since: datetime) -> int:
    cur.execute(
        """
        SELECT count(*) AS failures
        FROM login_failures
        WHERE email = %(email)s
          AND failed_at > %(since)s
        """,
        {"email": email, "since": since},
    )
    return cur.fetchone()["failures"]


def record_login_failure(cur, email: str, forget_before: datetime) -> None:
    """Log one failure, and forget this email's failures too old to matter."""
    cur.execute(
        """
        WITH forgotten AS (
            DELETE FROM login_failures
            WHERE email = %(email)s
              AND failed_at < %(forget_before)s
        )
        INSERT INTO login_failures (email)
        VALUES (%(email)s)
        """,
        {"email": email, "forget_before": forget_before},
    )


def clear_login_failures(cur, email: str) -> None:
    cur.execute("DELETE FROM login_failures WHERE email = %(email)s", {"email": email})


def prune_login_failures(cur, days: int) -> int:
    """Forget failed logins older than `days` (only the last minutes count for lockouts)."""
    cur.execute("DELETE FROM login_failures WHERE failed_at < now() - make_interval(days => %(days)s)",
                {"days": days})
    return cur.rowcount
