"""SQL for the inbox: LINE events stored before the 200, worked off by fenced leases.

Every lease carries a fresh `lease_token`; only its holder may renew it or mark the event done,
so a worker slower than its lease can't apply an event a second worker took over.
One shopper's events are leased one at a time, head of line first (LINE's `timestamp`, then
arrival); the per-shopper advisory lock makes "is it the head, is a sibling leased" and the
lease one atomic step across processes.
"""
import select

from psycopg2.extras import Json

from db.prepared import Prepared

# Each row comes back with its shopper's language, saving the handler a query.
RETURNING = """RETURNING webhook_event_id, user_id, event, attempts, lease_token,
    (SELECT language FROM shoppers s WHERE s.user_id = inbox.user_id) AS language"""
# Two-key advisory locks: this namespace keeps ours apart from any other use.
LOCK_SPACE = 1701
LEASE_UNTIL = "now() + make_interval(secs => %(lease)s)"
# A pending event is leasable when its lease ran out, nothing earlier of its shopper is
# pending, and no other event of its shopper is leased. Events without a shopper (groups)
# are not ordered.
LEASABLE = """
    status = 'pending' AND locked_until <= now()
    AND (user_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM inbox other
        WHERE other.user_id = inbox.user_id AND other.status = 'pending'
          AND other.webhook_event_id <> inbox.webhook_event_id
          AND ((coalesce(other.event_ts, 0), other.arrival)
                   < (coalesce(inbox.event_ts, 0), inbox.arrival)
               OR other.locked_until > now())))
"""


class LeaseLost(Exception):
    """The event changed hands or is already done: this worker's work must not count."""


# Stored for no one (WORKER_THREADS=0 on web): a `flask worker` process is woken on this channel.
CHANNEL = "inbox"
BATCH = """
    SELECT e->>'webhookEventId' AS webhook_event_id, e->'source'->>'userId' AS user_id, e AS event,
           CASE WHEN jsonb_typeof(e->'timestamp') = 'number'
                THEN least(greatest((e->>'timestamp')::numeric, 0), 1e15)::bigint END AS event_ts,
           n
    FROM jsonb_array_elements(%(events)s::jsonb) WITH ORDINALITY AS t (e, n)
"""
STORE = Prepared(f"""
    WITH new AS (
        INSERT INTO inbox (webhook_event_id, user_id, event, event_ts)
        SELECT webhook_event_id, user_id, event, event_ts FROM ({BATCH}) batch ORDER BY n
        ON CONFLICT (webhook_event_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) AS stored FROM new
""")
# First the batch's shopper locks; then, with a fresh snapshot, each new event is inserted
# already leased when it is its shopper's head of line: the first of the batch, with no pending
# event of the shopper before it and none leased (LEASABLE, for a row not yet in the table).
STORE_AND_LEASE = Prepared(
    f"""
    SELECT pg_advisory_xact_lock({LOCK_SPACE}, hashtext(user_id))
    FROM (SELECT DISTINCT e->'source'->>'userId' AS user_id
          FROM jsonb_array_elements(%(events)s::jsonb) AS e ORDER BY 1) shoppers
    WHERE user_id IS NOT NULL""",
    f"""
    WITH batch AS ({BATCH}),
    heads AS (
        SELECT batch.*, user_id IS NULL OR (
            row_number() OVER (PARTITION BY user_id ORDER BY coalesce(event_ts, 0), n) = 1
            AND NOT EXISTS (
                SELECT 1 FROM inbox other
                WHERE other.user_id = batch.user_id AND other.status = 'pending'
                  AND (coalesce(other.event_ts, 0) <= coalesce(batch.event_ts, 0)
                       OR other.locked_until > now()))) AS head
        FROM batch
    ),
    new AS (
        INSERT INTO inbox (webhook_event_id, user_id, event, event_ts, locked_until, attempts,
                           lease_token)
        SELECT webhook_event_id, user_id, event, event_ts,
               CASE WHEN head THEN {LEASE_UNTIL} ELSE now() END,
               CASE WHEN head THEN 1 ELSE 0 END,
               CASE WHEN head THEN gen_random_uuid() END
        FROM heads ORDER BY n
        ON CONFLICT (webhook_event_id) DO NOTHING
        {RETURNING}
    )
    SELECT * FROM new WHERE lease_token IS NOT NULL""")


def store_events(cur, events: list[dict], *, leased: bool, lease_seconds: int) -> list[dict]:
    """Insert new events (a redelivery inserts nothing); returns those leased here.

    `leased` hands each event of the batch that is its shopper's head of line to this
    process's workers for `lease_seconds`; the rest wait for their turn (claim_events).
    One round trip: PostgreSQL runs the statements as one transaction, so the shopper locks
    the first takes hold until the end, and the second looks at leases with a fresh snapshot.
    A leased event is inserted leased (one row version, not an insert and an update).
    """
    if not leased:
        cur.execute(STORE, {"events": Json(events)})
        if cur.fetchone()["stored"]:
            # Apart from the store (the webhook's cursor autocommits), and without waiting for
            # the WAL flush: PostgreSQL serialises the commits of transactions that NOTIFY. A
            # wake-up lost in a crash costs at most the worker's 1-s poll.
            cur.execute(f"SELECT set_config('synchronous_commit', 'off', true); NOTIFY {CHANNEL}")
        return []
    cur.execute(STORE_AND_LEASE, {"events": Json(events), "lease": lease_seconds})
    return cur.fetchall()


CLAIMABLE_SHOPPERS = Prepared(f"""
    SELECT user_id FROM (
        SELECT user_id FROM inbox
        WHERE user_id IS NOT NULL AND (%(user)s::text IS NULL OR user_id = %(user)s)
          AND {LEASABLE}
        GROUP BY user_id ORDER BY min(arrival) LIMIT %(limit)s
    ) candidates
    WHERE pg_try_advisory_xact_lock({LOCK_SPACE}, hashtext(user_id))
""")

CLAIM = Prepared(f"""
    UPDATE inbox SET locked_until = {LEASE_UNTIL}, attempts = attempts + 1,
                     lease_token = gen_random_uuid()
    WHERE webhook_event_id IN (
        SELECT webhook_event_id FROM inbox
        WHERE (user_id = ANY(%(users)s) OR (user_id IS NULL AND %(user)s::text IS NULL))
          AND {LEASABLE}
        ORDER BY arrival
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    )
    {RETURNING}
""")


def wait_for_stored(conn, timeout: float) -> int:
    """On a listening connection (see `listen`), wait up to `timeout` s for stores; how many."""
    if not select.select([conn], [], [], timeout)[0]:
        return 0
    conn.poll()
    came = len(conn.notifies)
    conn.notifies.clear()
    return came


def listen(conn) -> None:
    """Be told on `conn` (autocommit, outside the pool) whenever events are stored for no one."""
    with conn.cursor() as cur:
        cur.execute(f"LISTEN {CHANNEL}")


def claim_events(cur, *, lease_seconds: int, limit: int = 10,
                 user_id: str | None = None) -> list[dict]:
    """Lease leasable events (not stored leased, crashed, orphaned, or next in line).

    `user_id` claims only that shopper's next event. Run inside a transaction: a shopper
    another claimer is locking is skipped, not waited for.
    """
    cur.execute(
        CLAIMABLE_SHOPPERS,
        {"user": user_id, "limit": limit},
    )
    users = [row["user_id"] for row in cur.fetchall()]
    cur.execute(
        CLAIM,
        {"users": users, "user": user_id, "limit": limit, "lease": lease_seconds},
    )
    return cur.fetchall()


# Whether the shopper of %(event_id)s has an event waiting for its turn, read in the statement
# that finishes this one, so a worker knows whether to claim the next without asking again.
WAITING = """EXISTS (SELECT 1 FROM inbox next WHERE next.status = 'pending'
    AND next.locked_until <= now() AND next.webhook_event_id <> %(event_id)s
    AND next.user_id = (SELECT user_id FROM inbox me WHERE me.webhook_event_id = %(event_id)s))"""


def renew(cur, leases: list[tuple[str, str]], lease_seconds: int) -> set[str]:
    """Extend the leases still held (same token, still pending); returns their event ids."""
    if not leases:
        return set()
    cur.execute(
        f"""
        UPDATE inbox SET locked_until = {LEASE_UNTIL}
        WHERE status = 'pending'
          AND (webhook_event_id, lease_token) IN (
              SELECT * FROM unnest(%(ids)s::text[], %(tokens)s::uuid[]))
        RETURNING webhook_event_id
        """,
        {"ids": [event_id for event_id, _ in leases],
         "tokens": [token for _, token in leases], "lease": lease_seconds},
    )
    return {row["webhook_event_id"] for row in cur.fetchall()}


def hold(cur, event_id: str, token: str | None) -> None:
    """Check this worker still holds the event, before effects that outlive the transaction.

    The row stays locked until commit, so no one can take the event over in between.
    :raise LeaseLost: the event changed hands or is done.
    """
    cur.execute(
        """
        SELECT 1 FROM inbox
        WHERE webhook_event_id = %(id)s AND status = 'pending'
          AND lease_token IS NOT DISTINCT FROM %(token)s::uuid
        FOR UPDATE
        """,
        {"id": event_id, "token": token},
    )
    if cur.fetchone() is None:
        raise LeaseLost(event_id)


MARK_DONE = Prepared(f"""
    UPDATE inbox SET status = 'done', processed_at = now()
    WHERE webhook_event_id = %(event_id)s AND status = 'pending'
      AND lease_token IS NOT DISTINCT FROM %(token)s::uuid
    RETURNING {WAITING} AS waiting
""")


def mark_done(cur, event_id: str, token: str | None) -> bool:
    """Finish this worker's event, in the transaction of its effects.

    Returns whether its shopper has another event waiting.
    :raise LeaseLost: the event changed hands or is already done (roll everything back).
    """
    cur.execute(
        MARK_DONE,
        {"event_id": event_id, "token": token},
    )
    row = cur.fetchone()
    if row is None:
        raise LeaseLost(event_id)
    return row["waiting"]


def mark_failed(cur, event_id: str, token: str | None, error: str, *, give_up: bool,
                retry_in_seconds: int) -> bool:
    """Record a crash while the lease is ours (True); tried again later unless it failed too often."""
    cur.execute(
        """
        UPDATE inbox
        SET status = CASE WHEN %(give_up)s THEN 'dead' ELSE status END,
            last_error = %(error)s,
            locked_until = now() + make_interval(secs => %(delay)s)
        WHERE webhook_event_id = %(id)s AND status = 'pending'
          AND lease_token IS NOT DISTINCT FROM %(token)s::uuid
        """,
        {"id": event_id, "token": token, "error": error[:1000], "give_up": give_up,
         "delay": retry_in_seconds},
    )
    return cur.rowcount == 1


def prune(cur, days: int) -> int:
    """Delete events finished (done or dead) more than `days` ago; pending ones stay."""
    cur.execute(
        """
        DELETE FROM inbox
        WHERE status IN ('done', 'dead')
          AND coalesce(processed_at, received_at) < now() - make_interval(days => %(days)s)
        """,
        {"days": days},
    )
    return cur.rowcount
