"""Sending queued messages: reply while the token is fresh, else push; retry until LINE accepts."""
import logging
import threading
from datetime import datetime, timezone

from db import outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


class LineSendError(Exception):
    """A send failed; `retry` says whether trying again later can help."""

    def __init__(self, status: int | None, message: str, *, retry: bool,
                 token_spent: bool = False):
        super().__init__(f"LINE {status}: {message}")
        self.status = status
        self.retry = retry
        self.token_spent = token_spent


class Delivery:
    """Drains the outbox through a LineMessenger (or anything with reply/push)."""

    def __init__(self, db, messenger):
        self.db = db
        self.messenger = messenger
        self._lock = threading.Lock()
        self._sent: list[int] = []  # sent here, not yet marked sent
        self._marking = False

    def deliver(self, queued: list[dict]) -> None:
        """Send rows a transaction just committed (`enqueue` leased them to this process).

        `Database.run` calls this after every commit: the one place that sends after commit.
        """
        self._send_rows(queued)

    def send_pending(self, limit: int = 20) -> int:
        """Send messages whose sender died or failed earlier; returns how many were sent."""
        with self.db.statement() as cur:
            rows = outbox.claim(cur, limit=limit)
        return self._send_rows(rows)

    def _send_rows(self, rows) -> int:
        sent = 0
        for row in rows:
            sent += self._send(row)
        return sent

    def _send(self, row) -> int:
        try:
            if row["reply_token"] and row["reply_until"] > datetime.now(timezone.utc):
                try:
                    self.messenger.reply(row["reply_token"], row["messages"])
                except LineSendError as error:
                    if not error.token_spent:
                        raise
                    self._push(row)
            else:
                self._push(row)
        except LineSendError as error:
            give_up = not error.retry or row["attempts"] >= MAX_ATTEMPTS
            delay = min(600, 2 ** row["attempts"])
            with self.db.statement() as cur:
                outbox.mark_failed(cur, row["id"], str(error), give_up=give_up,
                                   retry_in_seconds=delay, drop_reply_token=True)
            log.warning("event=line_send_failed outbox_id=%s status=%s give_up=%s",
                        row["id"], error.status, give_up)
            return 0
        self._mark_sent(row["id"])
        return 1

    def _mark_sent(self, message_id: int) -> None:
        """Record a send; what other threads send meanwhile is recorded in the same statement.

        The sender that finds no one marking marks every id queued until none is left; the
        others return at once (their rows stay leased to this process until it has).
        """
        with self._lock:
            self._sent.append(message_id)
            if self._marking:
                return
            self._marking = True
        while True:
            with self._lock:
                ids, self._sent = self._sent, []
                if not ids:
                    self._marking = False
                    return
            try:
                with self.db.statement() as cur:
                    outbox.mark_sent(cur, ids)
            except Exception:
                with self._lock:  # the next sender marks what others queued meanwhile
                    self._marking = False
                raise

    def _push(self, row) -> None:
        self.messenger.push(row["user_id"], row["messages"], str(row["retry_key"]))
