"""SQL for the outbox: messages to shoppers, stored in the transaction that caused them."""
import uuid
from datetime import datetime

from psycopg2.extras import Json

LEASE = "interval '30 seconds'"


def enqueue(cur, user_id: str, messages: list[dict], *, reply_token: str | None = None,
            reply_until: datetime | None = None, done_event_id: str | None = None) -> int:
    """Queue messages, leased to the caller who sends them right after commit.

    `done_event_id` also marks that inbox event done, in the same statement.
    """
    cur.execute(
        f"""
        WITH done AS (
            UPDATE inbox SET status = 'done', processed_at = now()
            WHERE webhook_event_id = %(event_id)s
        )
        INSERT INTO outbox (user_id, messages, reply_token, reply_until, retry_key, locked_until)
        VALUES (%(user_id)s, %(messages)s, %(token)s, %(until)s, %(key)s, now() + {LEASE})
        RETURNING id
        """,
        {"event_id": done_event_id, "user_id": user_id, "messages": Json(messages),
         "token": reply_token, "until": reply_until, "key": str(uuid.uuid4())},
    )
    return cur.fetchone()["id"]


def claim(cur, *, ids: list[int] | None = None, limit: int = 20) -> list[dict]:
    """Lease unsent messages: the given ids, or any whose lease ran out."""
    cur.execute(
        f"""
        UPDATE outbox SET locked_until = now() + {LEASE}, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending'
              AND (id = ANY(%(ids)s::bigint[]) OR (%(ids)s::bigint[] IS NULL AND locked_until <= now()))
            ORDER BY id
            LIMIT %(limit)s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING id, user_id, messages, reply_token, reply_until, retry_key, attempts
        """,
        {"ids": ids, "limit": limit},
    )
    return cur.fetchall()


def mark_sent(cur, message_id: int) -> None:
    cur.execute("UPDATE outbox SET status = 'sent', sent_at = now() WHERE id = %(id)s",
                {"id": message_id})


def mark_failed(cur, message_id: int, error: str, *, give_up: bool, retry_in_seconds: int,
                drop_reply_token: bool) -> None:
    """Try again later, with the same retry key; a spent reply token falls back to push."""
    cur.execute(
        """
        UPDATE outbox
        SET status = CASE WHEN %(give_up)s THEN 'dead' ELSE status END,
            last_error = %(error)s,
            reply_token = CASE WHEN %(drop)s THEN NULL ELSE reply_token END,
            locked_until = now() + make_interval(secs => %(delay)s)
        WHERE id = %(id)s
        """,
        {"id": message_id, "error": error[:1000], "give_up": give_up, "delay": retry_in_seconds,
         "drop": drop_reply_token},
    )
