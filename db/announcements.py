"""SQL for announcements, their segments and their multicast batches."""
import uuid

from psycopg2.extras import Json

# LINE's user ids: multicast refuses anything else (line-platform.md §12).
LINE_USER = r"^U[0-9a-f]{32}$"
# Followers only: a shopper who blocked the shop (unfollowed) is never a recipient.
SEGMENT = f"""
    FROM shoppers s
    WHERE s.following
      AND s.user_id ~ '{LINE_USER}'
      AND CASE %(kind)s
          WHEN 'all' THEN true
          WHEN 'bought' THEN EXISTS (
              SELECT 1 FROM orders o JOIN order_items oi ON oi.order_id = o.id
              WHERE o.user_id = s.user_id AND o.status IN ('paid', 'shipped')
                AND oi.product_id = %(product_id)s)
          WHEN 'ordered_within' THEN EXISTS (
              SELECT 1 FROM orders o
              WHERE o.user_id = s.user_id
                AND o.created_at >= now() - make_interval(days => %(days)s))
          WHEN 'cart' THEN EXISTS (SELECT 1 FROM cart_items c WHERE c.user_id = s.user_id)
          WHEN 'never_ordered' THEN NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = s.user_id)
          END
"""
ANNOUNCEMENT = """
    SELECT a.id, a.text, a.product_ids, a.segment, a.status, a.held_reason, a.recipients,
           a.messages, a.created_at, a.sent_at,
           COALESCE(sum(cardinality(b.user_ids)) FILTER (WHERE b.status = 'sent'), 0) AS sent,
           count(b.id) AS batches,
           count(b.id) FILTER (WHERE b.status = 'sent') AS batches_sent,
           max(b.last_error) FILTER (WHERE b.status <> 'sent') AS last_error
    FROM announcements a
    LEFT JOIN announcement_batches b ON b.announcement_id = a.id
"""


def _segment(segment) -> dict:
    return {"kind": segment.kind, "product_id": segment.product_id, "days": segment.days or 0}


def count_segment(cur, segment) -> int:
    cur.execute(f"SELECT count(*) AS n {SEGMENT}", _segment(segment))
    return cur.fetchone()["n"]


def segment_user_ids(cur, segment) -> list[str]:
    """The segment's followers, in a stable order (batches are cut from it)."""
    cur.execute(f"SELECT s.user_id {SEGMENT} ORDER BY s.user_id", _segment(segment))
    return [row["user_id"] for row in cur.fetchall()]


def unsent_recipients(cur) -> int:
    """Recipients of batches not yet sent: LINE's count of this month's use doesn't have them."""
    cur.execute(
        """
        SELECT COALESCE(sum(cardinality(b.user_ids)), 0) AS n
        FROM announcement_batches b JOIN announcements a ON a.id = b.announcement_id
        WHERE b.status = 'pending' AND a.status = 'sending'
        """
    )
    return cur.fetchone()["n"]


def insert_announcement(cur, *, text: str, product_ids: list[int], segment: dict, status: str,
                        held_reason: str | None, recipients: int, messages: list[dict],
                        created_by: int | None) -> int:
    cur.execute(
        """
        INSERT INTO announcements (text, product_ids, segment, status, held_reason, recipients,
                                   messages, created_by)
        VALUES (%(text)s, %(product_ids)s, %(segment)s, %(status)s, %(held_reason)s,
                %(recipients)s, %(messages)s, %(created_by)s)
        RETURNING id
        """,
        {"text": text, "product_ids": list(product_ids), "segment": Json(segment),
         "status": status, "held_reason": held_reason, "recipients": recipients,
         "messages": Json(messages), "created_by": created_by},
    )
    return cur.fetchone()["id"]


def insert_batch(cur, announcement_id: int, seq: int, user_ids: list[str]) -> None:
    """Store a batch with its own X-Line-Retry-Key before anything is sent."""
    cur.execute(
        """
        INSERT INTO announcement_batches (announcement_id, seq, user_ids, retry_key)
        VALUES (%(id)s, %(seq)s, %(user_ids)s, %(key)s)
        """,
        {"id": announcement_id, "seq": seq, "user_ids": user_ids, "key": str(uuid.uuid4())},
    )


def get_announcement(cur, announcement_id: int) -> dict | None:
    """One announcement with its progress: recipients sent, batches sent of all."""
    cur.execute(ANNOUNCEMENT + " WHERE a.id = %(id)s GROUP BY a.id", {"id": announcement_id})
    return cur.fetchone()


def list_announcements(cur, limit: int = 50) -> list[dict]:
    cur.execute(ANNOUNCEMENT + " GROUP BY a.id ORDER BY a.id DESC LIMIT %(limit)s",
                {"limit": limit})
    return cur.fetchall()


def list_held(cur) -> list[dict]:
    cur.execute("SELECT id, recipients FROM announcements WHERE status = 'held' ORDER BY id")
    return cur.fetchall()


def set_status(cur, announcement_id: int, status: str, held_reason: str | None,
               *, was: str) -> bool:
    """Move an announcement on (held ↔ sending) only from the status the caller saw."""
    cur.execute(
        """
        UPDATE announcements SET status = %(status)s, held_reason = %(reason)s
        WHERE id = %(id)s AND status = %(was)s
        RETURNING id
        """,
        {"id": announcement_id, "status": status, "reason": held_reason, "was": was},
    )
    return cur.fetchone() is not None


def claim_batch(cur, lease_seconds: int) -> dict | None:
    """Lease the next unsent batch of a sending announcement; batches others hold are skipped."""
    cur.execute(
        """
        UPDATE announcement_batches b
        SET locked_until = now() + make_interval(secs => %(lease)s), attempts = b.attempts + 1
        FROM announcements a
        WHERE a.id = b.announcement_id
          AND b.id = (
            SELECT b2.id FROM announcement_batches b2
            JOIN announcements a2 ON a2.id = b2.announcement_id AND a2.status = 'sending'
            WHERE b2.status = 'pending' AND b2.locked_until <= now()
            ORDER BY b2.announcement_id, b2.seq
            LIMIT 1
            FOR UPDATE OF b2 SKIP LOCKED)
        RETURNING b.id, b.announcement_id, b.seq, b.user_ids, b.retry_key, b.attempts, a.messages
        """,
        {"lease": lease_seconds},
    )
    return cur.fetchone()


def mark_batch_sent(cur, batch_id: int) -> None:
    """The batch is sent; its announcement is sent once no batch is left."""
    cur.execute(
        """
        WITH sent AS (
            UPDATE announcement_batches SET status = 'sent', sent_at = now(), last_error = NULL
            WHERE id = %(id)s
            RETURNING announcement_id
        )
        UPDATE announcements a SET status = 'sent', sent_at = now()
        FROM sent
        WHERE a.id = sent.announcement_id AND a.status = 'sending'
          AND NOT EXISTS (SELECT 1 FROM announcement_batches b
                          WHERE b.announcement_id = a.id AND b.status = 'pending'
                            AND b.id <> %(id)s)
        """,
        {"id": batch_id},
    )


def mark_batch_failed(cur, batch_id: int, error: str, *, give_up: bool,
                      retry_in_seconds: int) -> None:
    """Try again later with the same retry key (LINE answers 409 if it took it after all)."""
    cur.execute(
        """
        UPDATE announcement_batches
        SET status = CASE WHEN %(give_up)s THEN 'dead' ELSE status END,
            last_error = %(error)s,
            locked_until = now() + make_interval(secs => %(delay)s)
        WHERE id = %(id)s
        """,
        {"id": batch_id, "error": error[:1000], "give_up": give_up, "delay": retry_in_seconds},
    )
