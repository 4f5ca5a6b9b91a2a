"""The month's message quota: what reminders and announcements may use (LINE §11)."""


def reserve(limit: int, setting: str) -> int:
    """Messages kept for payment and shipping news: "10%" of `limit`, or a plain count."""
    if setting.endswith("%"):
        return limit * int(setting[:-1]) // 100
    return int(setting)


def left(limit: int | None, used: int) -> int | None:
    """Messages LINE will still take this month; None when no limit is set."""
    return None if limit is None else max(0, limit - used)


def room(limit: int | None, used: int, setting: str) -> int | None:
    """Messages reminders and announcements may use without eating into the reserve."""
    if limit is None:
        return None
    return max(0, limit - used - reserve(limit, setting))


def announcement_status(recipients: int, limit: int | None, used: int, setting: str,
                        queued: int = 0) -> tuple[str, str | None]:
    """("sending", None), or ("held", why) when it would eat into the reserve; `queued` counts
    messages of other announcements not yet sent (LINE hasn't counted them).

    :raise ValueError: more recipients than LINE would still take (the message says so).
    """
    remaining = left(limit, used + queued)
    if remaining is not None and recipients > remaining:
        raise ValueError(f"本月訊息額度只剩 {remaining:,} 則，這則公告要送給 {recipients:,} 位顧客："
                         "已拒絕，沒有送出任何訊息。請縮小對象，或到 LINE 官方帳號後台提高上限。")
    free = room(limit, used + queued, setting)
    if free is not None and recipients > free:
        return "held", (f"送出會用到保留給付款與出貨通知的 {reserve(limit, setting):,} 則額度"
                        f"（本月剩 {remaining:,} 則）：暫緩發送，額度足夠時（下個月或提高上限）自動送出。")
    return "sending", None
