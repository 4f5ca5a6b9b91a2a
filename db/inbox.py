"""SQL for the inbox: LINE events stored before the 200, worked off by leases."""
from psycopg2.extras import Json

LEASE = "interval '30 seconds'"
# Each row comes back with its shopper's language, saving the handler a query.
LANGUAGE = "(SELECT language FROM shoppers s WHERE s.user_id = inbox.user_id) AS language"


def store_events(cur, events: list[dict], *, leased: bool) -> list[dict]:
    """Insert new events; returns the rows that were new (a redelivery inserts nothing).

    `leased` hands the new rows to this process's workers for 30 s; after that any
    worker may claim them, so a dead process loses nothing.
    """
    cur.execute(
        f"""
        INSERT INTO inbox (webhook_event_id, user_id, event, locked_until, attempts)
        SELECT e->>'webhookEventId', e->'source'->>'userId', e,
               CASE WHEN %(leased)s THEN now() + {LEASE} ELSE now() END,
               CASE WHEN %(leased)s THEN 1 ELSE 0 END
        FROM jsonb_array_elements(%(events)s::jsonb) AS e
        ON CONFLICT (webhook_event_id) DO NOTHING
        RETURNING webhook_event_id, event, attempts, {LANGUAGE}
        """,
        {"events": Json(events), "leased": leased},
    )
    return cur.fetchall()


def claim_events(cur, *, limit: int = 10) -> list[dict]:
    """Lease pending events whose lease ran out (not stored leased, crashed, or orphaned)."""
    cur.execute(
        f"""
        UPDATE inbox SET locked_until = now() + {LEASE}, attempts = attempts + 1
        WHERE webhook_event_id IN (
            SELECT webhook_event_id FROM inbox
            WHERE status = 'pending'
              AND locked_until <= now()
            ORDER BY received_at
            LIMIT %(limit)s
            FOR UPDATE SKIP LOCKED
        )
        RETURNING webhook_event_id, event, attempts, {LANGUAGE}
        """,
        {"limit": limit},
    )
    return cur.fetchall()


def mark_done(cur, event_id: str) -> None:
    cur.execute(
        "UPDATE inbox SET status = 'done', processed_at = now() WHERE webhook_event_id = %(id)s",
        {"id": event_id},
    )


def mark_failed(cur, event_id: str, error: str, *, give_up: bool, retry_in_seconds: int) -> None:
    """Record a crash; the event is tried again later unless it has failed too often."""
    cur.execute(
        """
        UPDATE inbox
        SET status = CASE WHEN %(give_up)s THEN 'dead' ELSE status END,
            last_error = %(error)s,
            locked_until = now() + make_interval(secs => %(delay)s)
        WHERE webhook_event_id = %(id)s
        """,
        {"id": event_id, "error": error[:1000], "give_up": give_up, "delay": retry_in_seconds},
    )
