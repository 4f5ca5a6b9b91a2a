"""Create or upgrade the schema: `flask --app app init-db`."""
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent.parent / "schema.sql"


def init_db(db) -> None:
    """Apply schema.sql; every statement in it is idempotent."""
    with db.transaction() as cur:
        # One lock so two releases starting at once don't race on CREATE.
        cur.execute("SELECT pg_advisory_xact_lock(7061)")
        cur.execute(SCHEMA.read_text(encoding="utf-8"))
