"""Keeping the bookkeeping tables small: finished rows are deleted after a while."""
from db import admins, inbox, outbox


def prune(db, days: int) -> dict:
    """Delete done/dead events, sent/dead messages and login failures older than `days`.

    Pending rows are never touched, however old. Returns how many rows of each went.
    """
    with db.transaction() as cur:
        return {"inbox": inbox.prune(cur, days), "outbox": outbox.prune(cur, days),
                "login_failures": admins.prune_login_failures(cur, days)}
