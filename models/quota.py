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
