"""SQL for the outbox: messages to shoppers, stored in the transaction that caused them."""
import uuid
from datetime import datetime

from psycopg2.extras import Json

from db.inbox import WAITING, LeaseLost
from db.prepared import Prepared

LEASE = "interval '30 seconds'"


ENQUEUE = Prepared(f"""
    WITH done AS (
        UPDATE inbox SET status = 'done', processed_at = now()
        WHERE webhook_event_id = %(event_id)s AND status = 'pending'
          AND lease_token IS NOT DISTINCT FROM %(lease)s::uuid
        RETURNING 1
    )
    INSERT INTO outbox (user_id, messages, reply_token, reply_until, retry_key, locked_until)
    SELECT %(user_id)s, %(messages)s, %(token)s, %(until)s, %(key)s, now() + {LEASE}
    WHERE %(event_id)s::text IS NULL OR EXISTS (SELECT 1 FROM done)
    RETURNING id, {WAITING} AS waiting
""")


def enqueue(cur, user_id: str, messages: list[dict], *, reply_token: str | None = None,
            reply_until: datetime | None = None, done_event: tuple[str, str | None] | None = None
            ) -> dict:
    """Queue messages, leased to the caller who sends them right after commit.

    `done_event` (event id, lease token) also marks that inbox event done, in the same
    statement, and only if the lease is still the caller's. Returns the row as `claim`
    would, so the caller can send it without reading it back, and (`shopper_has_more`)
    whether that event's shopper has another event waiting.
    :raise LeaseLost: the event changed hands or is done; nothing was queued.
    """
    retry_key = str(uuid.uuid4())
    event_id, token = done_event or (None, None)
    cur.execute(
        ENQUEUE,
        {"event_id": event_id, "lease": token, "user_id": user_id, "messages": Json(messages),
         "token": reply_token, "until": reply_until, "key": retry_key},
    )
    row = cur.fetchone()
    if row is None:
        raise LeaseLost(event_id)
    queued = {"id": row["id"], "user_id": user_id, "messages": messages,
              "reply_token": reply_token, "reply_until": reply_until, "retry_key": retry_key,
              "attempts": 1}
    if done_event:
        queued["shopper_has_more"] = row["waiting"]
    return queued


CLAIM = Prepared(f"""
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
""")


def claim(cur, *, limit: int = 20) -> list[dict]:
    """Lease unsent messages whose lease ran out (their sender died or failed)."""
    cur.execute(
        CLAIM,
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


def prune(cur, days: int) -> int:
    """Delete messages finished (sent or dead) more than `days` ago; pending ones stay."""
    cur.execute(
        """
        DELETE FROM outbox
        WHERE status IN ('sent', 'dead')
          AND coalesce(sent_at, created_at) < now() - make_interval(days => %(days)s)
        """,
        {"days": days},
    )
    return cur.rowcount
