"""Start and stop what a bench needs: PostgreSQL, the emulators, and one system under test.

Every server runs in its own process; CPU is read from /proc (psutil) per process tree,
so the load client's time is never counted as a server's.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg2
import psycopg2.errors
import requests

from bench.common import (ACCESS_TOKEN, CHANNEL_SECRET, HASH_KEYS, ROOT, SHOP_NO, X_KEY_ID)

os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
WORKERS = os.environ.get("WEB_CONCURRENCY", "2")
THREADS = "8"
SYSTEMS = ("bare", "bare+reply", "app")  # and "app+worker" with --systems
# app+worker: the Procfile's web (WORKER_THREADS=0) beside its worker process with this many
# threads, as many as the embedded default's 2 web processes × 4.
WORKER_PROCESS_THREADS = "8"
TABLES = ("products, shoppers, cart_items, coupons, orders, order_items, payment_attempts, "
          "inbox, outbox, stock_adjustments, admins")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live descendants and its reaped children."""
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


class Stack:
    """One PostgreSQL, the LINE emulator (bench mode), the SinoPac emulator, one system at a time."""

    def __init__(self, work_threads: int | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="shop-bench-"))
        self.procs: dict[str, subprocess.Popen] = {}
        self.system: str | None = None
        self.url: str | None = None
        self.work_threads = work_threads

    # lifecycle
    def start(self) -> "Stack":
        import pgserver

        from db.migrate import init_db
        from db.pool import Database

        if os.environ.get("BENCH_PG_STATS"):
            from bench.debian_pg import DebianPostgres
            self.pg = DebianPostgres(self.dir / "pgdata")
        else:
            self.pg = pgserver.get_server(self.dir / "pgdata", cleanup_mode="stop")
        self.database_url = self.pg.get_uri()
        db = Database(self.database_url, 1)
        init_db(db)
        db.close()
        self.sql("CREATE TABLE IF NOT EXISTS bench_events (id bigserial PRIMARY KEY, body jsonb)")
        self.line_url = self._spawn("line", [
            sys.executable, "-m", "gunicorn", "bench.line_sink:create()", "--workers", "1",
            "--threads", "16", "--worker-class", "gthread", "--log-level", "warning"])
        port = free_port()
        self.bank_url = f"http://127.0.0.1:{port}"
        self.procs["bank"] = self._popen("bank", [
            sys.executable, "-m", "sinopac.emulator", "--port", str(port), "--shop", SHOP_NO,
            "--hash-keys", *HASH_KEYS, "--x-key-id", X_KEY_ID])
        self._wait_http(self.bank_url + "/_emulator/orders")
        self._wait_http(self.line_url + "/_bench/replies")
        return self

    def stop(self) -> None:
        self.stop_system()
        for name in list(self.procs):
            self._kill(name)
        self.pg.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start_system(self, system: str, **env) -> str:
        """Serve `system` (bare, bare+reply, app or app+worker) under gunicorn; returns its URL."""
        self.stop_system()
        base = {"DATABASE_URL": self.database_url, "LINE_API_BASE_URL": self.line_url}
        if system.startswith("app"):
            target = "app:app"
            base.update(self.app_env())
            if system == "app+worker":
                base["WORKER_THREADS"] = "0"
                self.procs["worker"] = self._popen("worker", [
                    sys.executable, "-m", "flask", "--app", "app", "worker"],
                    {**base, "WORKER_THREADS": WORKER_PROCESS_THREADS,
                     **{k: str(v) for k, v in env.items()}})
        else:
            target = f'bench.baselines:create("{system}")'
        base.update({k: str(v) for k, v in env.items()})
        self.url = self._spawn("system", [
            sys.executable, "-m", "gunicorn", target, "--workers", WORKERS, "--threads", THREADS,
            "--worker-class", "gthread", "--timeout", "30", "--log-level", "warning"], base)
        self._wait_http(self.url + "/healthz")
        self.system = system
        return self.url

    def stop_system(self) -> None:
        for name in ("system", "worker"):
            if name in self.procs:
                self._kill(name)
        self.system = self.url = None

    def app_env(self) -> dict:
        env = {
            "LINE_CHANNEL_SECRET": CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
            "SINOPAC_API_URL": f"{self.bank_url}/api", "SINOPAC_SHOP_NO": SHOP_NO,
            "SINOPAC_HASH_A1": HASH_KEYS[0], "SINOPAC_HASH_A2": HASH_KEYS[1],
            "SINOPAC_HASH_B1": HASH_KEYS[2], "SINOPAC_HASH_B2": HASH_KEYS[3],
            "SINOPAC_X_KEY_ID": X_KEY_ID, "PUBLIC_BASE_URL": "http://127.0.0.1:9",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        }
        if self.work_threads is not None:
            env["WORKER_THREADS"] = str(self.work_threads)
        return env

    # measuring
    def cpu(self) -> dict:
        """Cumulative CPU seconds per component."""
        return {"app": sum(tree_cpu(self.procs[name].pid) for name in ("system", "worker")
                           if name in self.procs),
                "postgres": tree_cpu(self.pg.get_pid()),
                "emulator": tree_cpu(self.procs["line"].pid)}

    def replies(self, times: bool = False) -> dict:
        return requests.get(self.line_url + "/_bench/replies",
                            params={"times": 1} if times else None, timeout=30).json()

    def wait_replies(self, expected: int, timeout: float = 120.0, quiet: float = 1.5) -> dict:
        """Wait until `expected` replies arrived (or none came for `quiet` s after enough acks)."""
        deadline = time.monotonic() + timeout
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            got = self.replies()
            if got["count"] >= expected:
                return got
            if got["count"] != last:
                last, since = got["count"], time.monotonic()
            elif time.monotonic() - since > max(quiet, 10.0):
                return got
            time.sleep(0.05)
        return self.replies()

    def reset(self) -> None:
        """Empty every table and the emulator's counters, so each run starts alike."""
        for attempt in range(5):  # the app's 1-s poll may hold a lock TRUNCATE waits for
            try:
                self.sql(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
                break
            except psycopg2.errors.DeadlockDetected:
                time.sleep(0.2)
        self.sql("TRUNCATE bench_events")
        requests.post(self.line_url + "/_bench/reset", timeout=10).raise_for_status()

    def sql(self, query: str, params=()) -> list[tuple]:
        conn = psycopg2.connect(self.database_url)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(query, params or None)
                return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def give_delivery_details(self, user_ids: list[str]) -> None:
        """Checkout asks for delivery details first; these shoppers already gave them."""
        self.sql("INSERT INTO shoppers (user_id, recipient_name, recipient_phone, recipient_address) "
                 "SELECT u, '王小明', '0912345678', '台北市信義區市府路1號' FROM unnest(%s::text[]) u "
                 "ON CONFLICT (user_id) DO NOTHING", (list(user_ids),))

    def add_products(self, count: int, stock: int) -> None:
        self.sql("INSERT INTO products (id, name, price, stock) SELECT g, '商品' || g, 100, %s "
                 "FROM generate_series(1, %s) g", (stock, count))

    # processes
    def _popen(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.dir / f"{name}.log", "ab")
        return subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})}, start_new_session=True)

    def _spawn(self, name: str, argv: list[str], env: dict | None = None) -> str:
        port = free_port()
        self.procs[name] = self._popen(name, argv + ["--bind", f"127.0.0.1:{port}"], env)
        return f"http://127.0.0.1:{port}"

    def _kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _wait_http(self, url: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                requests.get(url, timeout=10)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        raise RuntimeError(f"{url} did not start; see logs in {self.dir}")

    def log(self, name: str) -> str:
        path = self.dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def running_stack(**kwargs):
    stack = Stack(**kwargs).start()
    try:
        yield stack
    finally:
        stack.stop()
