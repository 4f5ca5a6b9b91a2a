"""SQL for the outbox: messages to shoppers, stored in the transaction that caused them."""
import uuid
from datetime import datetime

from psycopg2.extras import Json

from db.prepared import Prepared

LEASE = "interval '30 seconds'"


def enqueue(cur, user_id: str, messages: list[dict], *, reply_token: str | None = None,
            reply_until: datetime | None = None, done_event_id: str | None = None) -> dict:
    """Queue messages, leased to the caller who sends them right after commit.

    `done_event_id` also marks that inbox event done, in the same statement. Returns the row
    as `claim` would, so the caller can send it without reading it back.
    """
    retry_key = str(uuid.uuid4())
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
         "token": reply_token, "until": reply_until, "key": retry_key},
    )
    return {"id": cur.fetchone()["id"], "user_id": user_id, "messages": messages,
            "reply_token": reply_token, "reply_until": reply_until, "retry_key": retry_key,
            "attempts": 1}


def claim(cur, *, limit: int = 20) -> list[dict]:
    """Lease unsent messages whose lease ran out (their sender died or failed)."""
    cur.execute(
        f"""
        UPDATE outbox SET locked_until = now() + {LEASE}, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM outbox
            WHERE status = 'pending'
              AND locked_until <= now()
            ORDER BY id
            LIMIT %(limit)s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING id, user_id, messages, reply_token, reply_until, retry_key, attempts
        """,
        {"limit": limit},
    )
    return cur.fetchall()


# "Sent" is committed without waiting for the WAL flush (set_config(..., true): this
# transaction only). Only a PostgreSQL crash in the next moment can lose it; the message is
# then sent again when its lease runs out, as after an app crash between send and mark: a push
# LINE drops by its retry key (409), a reply as a second copy. Nothing else commits so.
MARK_SENT = Prepared(
    "SELECT set_config('synchronous_commit', 'off', true)",
    "UPDATE outbox SET status = 'sent', sent_at = now() WHERE id = ANY(%(ids)s::bigint[])")


def mark_sent(cur, message_ids: list[int]) -> None:
    cur.execute(MARK_SENT, {"ids": message_ids})


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
