"""SQL for keeping the bookkeeping tables small, table by table."""
from db import admins, bank_notices, inbox, outbox


def prune(cur, days: int) -> dict[str, int]:
    """Delete finished rows older than `days` from every bookkeeping table; how many went of each."""
    return {"inbox": inbox.prune(cur, days), "outbox": outbox.prune(cur, days),
            "login_throttle": admins.prune_login_throttle(cur, days),
            "bank_notices": bank_notices.prune(cur, days)}
