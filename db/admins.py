"""SQL for shop-owner accounts, their sessions, API tokens and the login brake."""
from datetime import datetime

from models.login_throttle import Tally


def save_admin(cur, email: str, password_hash: str) -> int:
    """Create the account, or set a new password on an existing one; returns its id.

    A new password ends every session of the account.
    """
    cur.execute(
        """
        INSERT INTO admins (email, password_hash)
        VALUES (%(email)s, %(hash)s)
        ON CONFLICT (email) DO UPDATE
        SET password_hash = EXCLUDED.password_hash,
            session_version = admins.session_version + 1
        RETURNING id
        """,
        {"email": email, "hash": password_hash},
    )
    return cur.fetchone()["id"]


def get_admin_by_email(cur, email: str) -> dict | None:
    cur.execute("SELECT id, email, password_hash, session_version FROM admins WHERE email = %(email)s",
                {"email": email})
    return cur.fetchone()


def get_admin(cur, admin_id: int) -> dict | None:
    cur.execute("SELECT id, email, session_version FROM admins WHERE id = %(id)s",
                {"id": admin_id})
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


def end_sessions(cur, email: str) -> int | None:
    """Refuse every session cookie issued so far; None if no such account."""
    cur.execute(
        """
        UPDATE admins
        SET session_version = session_version + 1
        WHERE email = %(email)s
        RETURNING id
        """,
        {"email": email},
    )
    row = cur.fetchone()
    return row["id"] if row else None


def lock_throttle(cur, email: str, address: str) -> tuple[Tally, datetime]:
    """The key's tally, its row locked until commit (created if new), so tries count one by one.

    Also the database's clock once the lock is held: one clock for every process, and never a
    time read before waiting for the lock.
    """
    cur.execute(
        """
        INSERT INTO login_throttle (email, address)
        VALUES (%(email)s, %(address)s)
        ON CONFLICT (email, address) DO UPDATE
        SET attempts = login_throttle.attempts
        RETURNING attempts, last_attempt_at, blocked_until, clock_timestamp() AS now
        """,
        {"email": email, "address": address},
    )
    row = cur.fetchone()
    return Tally(row["attempts"], row["last_attempt_at"], row["blocked_until"]), row["now"]


def save_throttle(cur, email: str, address: str, tally: Tally, forget_before: datetime) -> None:
    """Store the key's tally, and drop a few tallies quiet since `forget_before`.

    Guesses at made-up emails create rows; this keeps the table from growing without end.
    Rows other logins hold are skipped, so two logins never wait on each other here.
    """
    cur.execute(
        """
        WITH stale AS (
            SELECT email, address
            FROM login_throttle
            WHERE last_attempt_at < %(forget_before)s
              AND NOT (email = %(email)s AND address = %(address)s)
            LIMIT 100
            FOR UPDATE SKIP LOCKED
        ), forgotten AS (
            DELETE FROM login_throttle AS old
            USING stale
            WHERE old.email = stale.email
              AND old.address = stale.address
        )
        UPDATE login_throttle
        SET attempts = %(attempts)s,
            last_attempt_at = %(last_attempt_at)s,
            blocked_until = %(blocked_until)s
        WHERE email = %(email)s
          AND address = %(address)s
        """,
        {"email": email, "address": address, "attempts": tally.attempts,
         "last_attempt_at": tally.last_attempt_at, "blocked_until": tally.blocked_until,
         "forget_before": forget_before},
    )


def forgive_success(cur, email: str, address: str, account_key: str) -> None:
    """A right password clears its address's tally and takes its try off the account's."""
    cur.execute(
        """
        WITH cleared AS (
            DELETE FROM login_throttle
            WHERE email = %(email)s
              AND address = %(address)s
        )
        UPDATE login_throttle
        SET attempts = greatest(attempts - 1, 0)
        WHERE email = %(email)s
          AND address = %(account_key)s
        """,
        {"email": email, "address": address, "account_key": account_key},
    )


def prune_login_throttle(cur, days: int) -> int:
    """Forget login tallies untouched for `days` (the throttle only looks back a day)."""
    cur.execute(
        """
        DELETE FROM login_throttle
        WHERE last_attempt_at < now() - make_interval(days => %(days)s)
        """,
        {"days": days},
    )
    return cur.rowcount
