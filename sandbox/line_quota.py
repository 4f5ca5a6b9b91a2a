"""The month's message quota: target limit and use, counted per recipient (line-platform.md §11)."""

import threading


class MessageQuota:
    """`limit` None means no target limit is set (`{"type": "none"}`); tests set it directly."""

    def __init__(self, limit: int | None = None):
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def take(self, recipients: int) -> bool:
        """Count messages to `recipients` users; False (nothing counted) if over the limit.

        Push and multicast count one per recipient who gets them; reply is free (§11).
        """
        with self._lock:
            if self.limit is not None and self.used + recipients > self.limit:
                return False
            self.used += recipients
            return True

    def give_back(self, recipients: int) -> None:
        """Undo `take` for a call that was refused after all (a repeated retry key)."""
        with self._lock:
            self.used -= recipients

    def quota_json(self) -> dict:
        """`GET /v2/bot/message/quota`."""
        return {"type": "none"} if self.limit is None else {"type": "limited", "value": self.limit}

    def consumption_json(self) -> dict:
        """`GET /v2/bot/message/quota/consumption`."""
        with self._lock:
            return {"totalUsage": self.used}
