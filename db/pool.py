"""One psycopg2 pool per process and the transaction helper every service uses."""
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import psycopg2.errors
from psycopg2.pool import ThreadedConnectionPool

from db.prepared import PreparingConnection, PreparingCursor
from db.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

EMBEDDED_DATA_DIR = Path(__file__).resolve().parent.parent / "pgdata"
RETRYABLE = (psycopg2.errors.DeadlockDetected, psycopg2.errors.SerializationFailure)


def start_embedded_postgres(data_dir: Path = EMBEDDED_DATA_DIR):
    """Start (or join) the embedded PostgreSQL in the project's data folder.

    Returns pgserver's handle: `.get_uri()`, and `.cleanup()` stops the server.
    """
    import pgserver  # imported here: only the embedded default needs it

    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    log.info("event=embedded_postgres data_dir=%s", data_dir)
    return server


def embedded_database_url(data_dir: Path = EMBEDDED_DATA_DIR) -> str:
    return start_embedded_postgres(data_dir).get_uri()


class Database:
    """A lazily opened pool; `transaction()` reads, `run()` changes and tells the shoppers."""

    def __init__(self, url: str | None, size: int):
        self._url = url
        self._size = size
        self._pool: ThreadedConnectionPool | None = None
        self._lock = threading.Lock()
        # Set once by the runtime: notify(uow) turns recorded events into queued outbox rows
        # before commit; deliver(rows) sends them after.
        self.notify = None
        self.deliver = None

    @property
    def url(self) -> str:
        self._open()
        return self._url

    def _open(self) -> ThreadedConnectionPool:
        with self._lock:
            if self._pool is None:
                if self._url is None:
                    self._url = embedded_database_url()
                # minconn == maxconn: psycopg2 closes a returned connection whenever
                # minconn idle ones are already pooled, which would reconnect per request.
                self._pool = ThreadedConnectionPool(self._size, self._size, self._url,
                                                    connection_factory=PreparingConnection,
                                                    cursor_factory=PreparingCursor)
            return self._pool

    @contextmanager
    def transaction(self):
        """Yield a cursor inside one transaction: commit on success, roll back on error."""
        with self._connection() as conn:
            with conn:
                with conn.cursor() as cur:
                    yield cur

    @contextmanager
    def statement(self):
        """Yield a cursor for ONE statement, run as its own transaction (autocommit).

        Saves the BEGIN and COMMIT round trips on the hot path (inbox, outbox bookkeeping).
        """
        with self._connection() as conn:
            conn.autocommit = True
            try:
                with conn.cursor() as cur:
                    yield cur
            finally:
                if not conn.closed:
                    conn.autocommit = False

    @contextmanager
    def _connection(self):
        pool = self._open()
        conn = self._getconn(pool)
        broken = False
        try:
            yield conn
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            broken = True
            raise
        finally:
            pool.putconn(conn, close=broken or bool(conn.closed))
            if broken:
                self._discard_idle(pool)

    @staticmethod
    def _discard_idle(pool) -> None:
        """A server that dropped one connection (restart, failover, a blip) dropped them all:
        close the idle ones, so the next requests connect afresh instead of failing in turn."""
        # psycopg2's pool has no public way to drop only its idle connections.
        with pool._lock:
            idle, pool._pool = pool._pool, []
        for conn in idle:
            conn.close()

    @contextmanager
    def dedicated(self):
        """A connection of its own, outside the pool, in autocommit (to LISTEN on)."""
        conn = psycopg2.connect(self.url)
        conn.autocommit = True
        try:
            yield conn
        finally:
            conn.close()

    def ping(self) -> None:
        """One round trip; raises if the database doesn't answer."""
        with self.statement() as cur:
            cur.execute("SELECT 1")

    def run(self, work, *, context=None, attempts: int = 3):
        """Run `work(uow)` in one transaction and tell shoppers what it recorded.

        The events' messages are queued in the outbox inside the transaction; once it has
        committed they are handed to delivery here, the one place that sends after commit.
        Retried when PostgreSQL chose the transaction as a deadlock victim.
        """
        for attempt in range(attempts):
            try:
                with self.transaction() as cur:
                    uow = UnitOfWork(cur, context)
                    result = work(uow)
                    queued = self.notify(uow) if self.notify else []
            except RETRYABLE:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            if queued and self.deliver:
                self.deliver(queued)
            return result

    def with_context(self, context) -> "BoundDatabase":
        """This database for one caller: `context` says whom messages answer (the LINE handler
        passes the chat event's reply context). Use cases can't tell the difference."""
        return BoundDatabase(self, context)

    def _getconn(self, pool):
        # The pool raises instead of waiting when every connection is out; wait briefly.
        for _ in range(200):
            try:
                return pool.getconn()
            except psycopg2.pool.PoolError:
                time.sleep(0.01)
        return pool.getconn()

    def close(self):
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None


class BoundDatabase:
    """A Database bound to a caller's context: use cases run on it exactly as on the Database."""

    def __init__(self, db: Database, context):
        self._db = db
        self.context = context

    def transaction(self):
        return self._db.transaction()

    def run(self, work, *, attempts: int = 3):
        return self._db.run(work, context=self.context, attempts=attempts)
