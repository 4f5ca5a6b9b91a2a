"""Keeping the bookkeeping tables small: finished rows are deleted after a while."""
from db import housekeeping


def prune(db, days: int) -> dict[str, int]:
    """Delete done/dead events and bank notices, sent/dead messages and login tallies untouched
    for longer than `days`.

    Pending rows are never touched, however old. Returns how many rows of each went.
    """
    with db.transaction() as cur:
        return housekeeping.prune(cur, days)
