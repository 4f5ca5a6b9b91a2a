"""Inbox workers: threads that work off stored LINE events and unsent messages."""
import logging
import queue
import threading
import time
import traceback

from db import inbox, scheduled_jobs
from handlers import line_events, scheduled
from models.events import EventFailed
from services import bank_notices

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
POLL_SECONDS = 1.0
PERIODIC_JOB = "worker-periodic"
PERIODIC_SECONDS = 60
WAKE_CLAIM = 4  # events a `flask worker` poller claims when woken (the others claim theirs)


class InboxWorker:
    """Fresh events arrive on a local queue; leftovers (crashes, other dead processes) by polling.

    Every event is worked under its lease, kept alive by a heartbeat while a handler waits
    (on the bank, say); a worker that lost its lease anyway has its work rolled back.
    """

    def __init__(self, rt, threads: int, lease_seconds: int):
        self.rt = rt
        self.threads = threads
        self.lease_seconds = lease_seconds
        self._queue: queue.Queue = queue.Queue()
        self._started = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []
        self._held: dict[str, str] = {}  # event id → lease token, for events being worked here
        # Stores by web processes that lease nothing (WORKER_THREADS=0), one poller woken each.
        self._stored = threading.Condition()
        self._wakeups = 0

    def submit(self, rows: list[dict]) -> None:
        """Events this process just stored and leased: work them now."""
        self._queue.put((time.monotonic(), rows))

    def start(self) -> None:
        """Start the threads once per process (a no-op when already running or disabled)."""
        if self._started:
            return
        with self._lock:
            if self._started or self.threads <= 0:
                return
            self._started = True
        for n in range(self.threads):
            self._spawn(self._work_queue, f"inbox-{n}")
        self._spawn(self.poll_forever, "inbox-poll")
        self.start_heartbeat()

    def start_heartbeat(self) -> None:
        self._spawn(self._heartbeat, "inbox-heartbeat")

    def _spawn(self, target, name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._running.append(thread)
        thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._stored:
            self._stored.notify_all()  # pollers waiting for events return now

    def dead_threads(self) -> list[str]:
        """Names of this process's worker threads that should be running but are not."""
        return [thread.name for thread in self._running if not thread.is_alive()]

    def _work_queue(self) -> None:
        while not self._stop.is_set():
            try:
                self._take_and_work()
            except Exception:  # nothing may end a worker thread
                log.exception("event=inbox_queue_failed")
                time.sleep(POLL_SECONDS)

    def _take_and_work(self) -> None:
        try:
            stored_at, rows = self._queue.get(timeout=POLL_SECONDS)
        except queue.Empty:
            return
        if time.monotonic() - stored_at > self.lease_seconds / 2:
            # It waited here long enough for its lease to run out: work only what is still ours.
            with self.rt.db.statement() as cur:
                kept = inbox.renew(cur, [(r["webhook_event_id"], r["lease_token"]) for r in rows],
                                   self.lease_seconds)
            for row in rows:
                if row["webhook_event_id"] not in kept:
                    log.info("event=inbox_lease_expired_in_queue webhook_event_id=%s",
                             row["webhook_event_id"])
            rows = [row for row in rows if row["webhook_event_id"] in kept]
        for row in rows:
            self.work(row)

    def run_worker_process(self) -> None:
        """The body of `flask --app app worker`: `threads` pollers (at least one), woken as soon
        as a web process (WORKER_THREADS=0 there) stores events, else every POLL_SECONDS."""
        self.start_heartbeat()
        self._spawn(self._listen, "inbox-listen")
        for n in range(max(1, self.threads)):
            self._spawn(lambda: self.poll_forever(limit=WAKE_CLAIM), f"inbox-poll-{n}")
        self._stop.wait()

    def poll_forever(self, limit: int = 10) -> None:
        while not self._stop.is_set():
            try:
                self.run_periodic()
                if not self.run_pending(limit):
                    self._wait_for_stored()
            except Exception:
                log.exception("event=inbox_poll_failed")
                time.sleep(POLL_SECONDS)

    def _wait_for_stored(self) -> None:
        with self._stored:
            if not self._wakeups:
                self._stored.wait(POLL_SECONDS)
            self._wakeups = max(0, self._wakeups - 1)

    def _wake(self, stores: int) -> None:
        """One poller per store, never more wake-ups pending than pollers."""
        with self._stored:
            self._wakeups = min(max(1, self.threads), self._wakeups + stores)
            self._stored.notify(stores)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with self.rt.db.dedicated() as conn:
                    inbox.listen(conn)
                    self._wake(self.threads)  # anything stored while no one listened
                    while not self._stop.is_set():
                        stores = inbox.wait_for_stored(conn, POLL_SECONDS)
                        if stores:
                            self._wake(stores)
            except Exception:  # the pollers still poll meanwhile
                log.exception("event=inbox_listen_failed")
                time.sleep(POLL_SECONDS)

    def run_pending(self, limit: int = 10) -> int:
        """Claim and work events whose lease ran out, confirm stored bank notices, then resend
        unsent messages."""
        with self.rt.db.transaction() as cur:
            rows = inbox.claim_events(cur, lease_seconds=self.lease_seconds, limit=limit)
        for row in rows:
            self.work(row)
        notices = bank_notices.work_pending(self.rt.db, self.rt.providers,
                                            limit=limit)
        return len(rows) + notices + self.rt.delivery.send_pending()

    def run_periodic(self) -> bool:
        """Reminders and announcement batches, at most once a minute across every process (the
        turn is a row in PostgreSQL); True when this call took the turn."""
        with self.rt.db.statement() as cur:
            if not scheduled_jobs.take_turn(cur, PERIODIC_JOB, PERIODIC_SECONDS):
                return False
        scheduled.send_reminders(self.rt)
        scheduled.send_announcements(self.rt)
        return True

    def work(self, row: dict) -> None:
        """Handle one event, then its shopper's next one; never raises.

        On a crash: record it, apologise once, leave it for retry (its shopper's later events
        wait behind it). A lost lease is someone else's event now: say so and move on.
        """
        while row is not None:
            if not self._work_one(row):
                return
            try:
                with self.rt.db.transaction() as cur:
                    claimed = inbox.claim_events(cur, lease_seconds=self.lease_seconds, limit=1,
                                                 user_id=row["user_id"])
            except Exception:  # the poller will find it
                log.exception("event=inbox_claim_next_failed")
                return
            row = claimed[0] if claimed else None

    def _work_one(self, row: dict) -> bool:
        """True when the event was done here and its shopper has another one waiting."""
        event_id, token = row["webhook_event_id"], row.get("lease_token")
        self._held[event_id] = token
        try:
            context = line_events.handle(self.rt, row["event"], row.get("language"), token)
            return context.shopper_has_more
        except inbox.LeaseLost:
            log.info("event=inbox_lease_lost webhook_event_id=%s", event_id)
        except Exception as error:
            attempts = row.get("attempts") or 1
            give_up = attempts >= MAX_ATTEMPTS
            log.error("event=inbox_event_failed webhook_event_id=%s attempts=%s give_up=%s\n%s",
                      event_id, attempts, give_up, traceback.format_exc())
            self._record_failure(row, f"{type(error).__name__}: {error}", give_up)
        finally:
            self._held.pop(event_id, None)
        return False

    def _record_failure(self, row: dict, error: str, give_up: bool) -> None:
        """Best effort: if the database is down too, the lease simply runs out and it is retried."""
        attempts = row.get("attempts") or 1
        source = row["event"].get("source") or {}
        # Apologise only in an active one-to-one chat: never into a group, a room or standby.
        one_to_one = source.get("type") == "user" and row["event"].get("mode", "active") == "active"
        user_id = source.get("userId") if one_to_one else None

        def work(uow):
            ours = inbox.mark_failed(uow.cur, row["webhook_event_id"], row.get("lease_token"),
                                     error, give_up=give_up,
                                     retry_in_seconds=min(300, 5 * 2 ** attempts))
            if ours and user_id and (attempts == 1 or give_up):
                uow.record(EventFailed(user_id))
        try:
            self.rt.db.run(work)
        except Exception:
            log.exception("event=inbox_failure_not_recorded webhook_event_id=%s",
                          row["webhook_event_id"])

    def _heartbeat(self) -> None:
        """Keep the leases of events being worked here alive, while still ours."""
        while not self._stop.wait(self.lease_seconds / 3):
            held = list(self._held.items())
            try:
                with self.rt.db.statement() as cur:
                    kept = inbox.renew(cur, held, self.lease_seconds)
            except Exception:
                log.exception("event=inbox_heartbeat_failed")
                continue
            for event_id, _ in held:
                if event_id not in kept:
                    log.info("event=inbox_lease_not_renewed webhook_event_id=%s", event_id)
