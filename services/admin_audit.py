"""Reading the audit trail: the filtered list, and one product's or order's history.

Writing happens in each owner action's own transaction, through `db.audit.record`.
"""
from dataclasses import asdict, dataclass
from datetime import datetime

from db import audit
from models.audit import AuditEntry, bounded_page

PAGE_SIZE = 50
HISTORY_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    who: str | None = None
    at_from: datetime | None = None  # aware datetimes (start of a Taipei day) or None
    at_to: datetime | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def find(db, where: AuditFilter, page: str | None) -> AuditPage:
    """One page of matching entries, newest first; `page` as the query gave it, kept in range."""
    with db.transaction() as cur:
        total = audit.count_entries(cur, **asdict(where))
        pages = max(1, -(-total // PAGE_SIZE))
        number = bounded_page(page, pages)
        entries = audit.list_entries(cur, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE,
                                     **asdict(where))
    return AuditPage(entries, total, number, pages)


def history(db, entity_type: str, entity_id: int) -> list[AuditEntry]:
    """The latest entries about one product or order, newest first."""
    with db.transaction() as cur:
        return audit.list_entries(cur, entity_type=entity_type, entity_id=entity_id,
                                  limit=HISTORY_SIZE, offset=0)
