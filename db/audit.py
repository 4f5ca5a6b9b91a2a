"""SQL for the audit trail: one INSERT per owner action, and the reads of the history pages.

Nothing here updates or deletes: the table's trigger would refuse it anyway (schema.sql).
"""
import json
from datetime import datetime
from functools import partial

from psycopg2.extras import Json

from models.audit import Actor, AuditEntry

COLUMNS = "id, at, admin_id, actor, via, action, entity_type, entity_id, before, after"
# Each filter is off when its parameter is NULL.
MATCHES = """
    WHERE (%(action)s::text IS NULL OR action = %(action)s)
      AND (%(entity_type)s::text IS NULL OR entity_type = %(entity_type)s)
      AND (%(entity_id)s::bigint IS NULL OR entity_id = %(entity_id)s)
      AND (%(who)s::text IS NULL OR lower(actor) = lower(%(who)s))
      AND (%(at_from)s::timestamptz IS NULL OR at >= %(at_from)s)
      AND (%(at_to)s::timestamptz IS NULL OR at < %(at_to)s)
"""
_dumps = partial(json.dumps, ensure_ascii=False, default=str)


def record(cur, actor: Actor, action: str, entity_type: str, entity_id: int | None,
           before: dict | None = None, after: dict | None = None) -> None:
    """Write one audit row in the caller's transaction, so it commits or rolls back with the action.

    An error here raises, and the action's transaction rolls back with it.
    """
    cur.execute(
        """
        INSERT INTO audit_log (admin_id, actor, via, action, entity_type, entity_id, before, after)
        VALUES (%(admin_id)s, %(actor)s, %(via)s, %(action)s, %(entity_type)s, %(entity_id)s,
                %(before)s, %(after)s)
        """,
        {"admin_id": actor.admin_id, "actor": actor.name, "via": actor.via, "action": action,
         "entity_type": entity_type, "entity_id": entity_id,
         "before": None if before is None else Json(before, dumps=_dumps),
         "after": None if after is None else Json(after, dumps=_dumps)},
    )


def count_entries(cur, **where) -> int:
    """How many rows match the filters (see `list_entries`)."""
    cur.execute(f"SELECT count(*) AS n FROM audit_log {MATCHES}", _filters(**where))
    return cur.fetchone()["n"]


def list_entries(cur, *, limit: int, offset: int, **where) -> list[AuditEntry]:
    """Matching rows, newest first. Filters: action, entity_type, entity_id, who (the actor,
    any case), at_from (inclusive) and at_to (exclusive); None leaves one out."""
    cur.execute(
        f"""
        SELECT {COLUMNS}
        FROM audit_log
        {MATCHES}
        ORDER BY id DESC
        LIMIT %(limit)s
        OFFSET %(offset)s
        """,
        {**_filters(**where), "limit": limit, "offset": offset},
    )
    return [AuditEntry(**row) for row in cur.fetchall()]


def _filters(action: str | None = None, entity_type: str | None = None,
             entity_id: int | None = None, who: str | None = None,
             at_from: datetime | None = None, at_to: datetime | None = None) -> dict:
    return {"action": action, "entity_type": entity_type, "entity_id": entity_id, "who": who,
            "at_from": at_from, "at_to": at_to}
