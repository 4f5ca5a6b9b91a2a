"""Keeping the bookkeeping tables small: finished rows are deleted after a while."""
from db import admins, bank_notices, inbox, outbox


def prune(db, days: int) -> dict:
    """Delete done/dead events and bank notices, sent/dead messages and login tallies untouched for longer than `days`.

    Pending rows are never touched, however old. Returns how many rows of each went.
    """
    with db.transaction() as cur:
        return {"inbox": inbox.prune(cur, days), "outbox": outbox.prune(cur, days),
                "login_throttle": admins.prune_login_throttle(cur, days),
                "bank_notices": bank_notices.prune(cur, days)}
