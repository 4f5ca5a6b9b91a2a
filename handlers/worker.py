"""Inbox workers: threads that work off stored LINE events and unsent messages."""
import logging
import queue
import threading
import time
import traceback

from db import inbox
from handlers import line_events
from models.events import EventFailed

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
POLL_SECONDS = 1.0


class InboxWorker:
    """Fresh events arrive on a local queue; leftovers (crashes, other dead processes) by polling."""

    def __init__(self, rt, threads: int):
        self.rt = rt
        self.threads = threads
        self._queue: queue.Queue = queue.Queue()
        self._started = False
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def submit(self, rows: list[dict]) -> None:
        """Events this process just stored and leased: work them now."""
        self._queue.put(rows)

    def start(self) -> None:
        """Start the threads once per process (a no-op when already running or disabled)."""
        if self._started:
            return
        with self._lock:
            if self._started or self.threads <= 0:
                return
            self._started = True
        for n in range(self.threads):
            threading.Thread(target=self._work_queue, name=f"inbox-{n}", daemon=True).start()
        threading.Thread(target=self.poll_forever, name="inbox-poll", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _work_queue(self) -> None:
        while not self._stop.is_set():
            try:
                rows = self._queue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            for row in rows:
                self.work(row)

    def poll_forever(self) -> None:
        """Also the body of `flask --app app worker` on a PaaS."""
        while not self._stop.is_set():
            try:
                if not self.run_pending():
                    time.sleep(POLL_SECONDS)
            except Exception:
                log.exception("event=inbox_poll_failed")
                time.sleep(POLL_SECONDS)

    def run_pending(self, limit: int = 10) -> int:
        """Claim and work events whose lease ran out, then resend unsent messages."""
        with self.rt.db.statement() as cur:
            rows = inbox.claim_events(cur, limit=limit)
        for row in rows:
            self.work(row)
        return len(rows) + self.rt.delivery.send_pending()

    def work(self, row: dict) -> None:
        """Handle one event; on a crash, record it, apologise once, and leave it for retry."""
        event_id = row["webhook_event_id"]
        try:
            line_events.handle(self.rt, row["event"], row.get("language"))
        except Exception as error:
            attempts = row.get("attempts") or 1
            give_up = attempts >= MAX_ATTEMPTS
            log.error("event=inbox_event_failed webhook_event_id=%s attempts=%s give_up=%s\n%s",
                      event_id, attempts, give_up, traceback.format_exc())
            self._record_failure(row, f"{type(error).__name__}: {error}", give_up)

    def _record_failure(self, row: dict, error: str, give_up: bool) -> None:
        attempts = row.get("attempts") or 1
        user_id = (row["event"].get("source") or {}).get("userId")

        def work(uow):
            inbox.mark_failed(uow.cur, row["webhook_event_id"], error, give_up=give_up,
                              retry_in_seconds=min(300, 5 * 2 ** attempts))
            if user_id and (attempts == 1 or give_up):
                uow.record(EventFailed(user_id))
        self.rt.db.run(work)
