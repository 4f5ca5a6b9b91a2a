"""Fixtures: real PostgreSQL (pgserver), the bot served on loopback, LINE and bank emulators."""
import os
import socket

import pgserver
import psycopg2
import pytest

from app import create_app
from db.migrate import init_db
from db.pool import Database
from linepay.emulator import create_emulator as create_linepay_emulator
from linepay.emulator_state import LinePayState
from sandbox.line_emulator import LineState, create_line_emulator, serve_in_thread
from sinopac.emulator import create_emulator
from sinopac.emulator_state import EmulatorState
from tests.support.settings import (ACCESS_TOKEN, CHANNEL_SECRET, HASH_KEYS, LINEPAY_CHANNEL_ID,
                                    LINEPAY_SECRET, SHOP_NO, TABLES,
                                    X_KEY_ID, settings_for)
from tests.support.shop import Shop

os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    url = server.get_uri()
    db = Database(url, 1)
    init_db(db)
    db.close()
    yield url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def bank():
    """The SinoPac emulator on loopback; `bank.state` is its EmulatorState."""
    state = EmulatorState(notify_retry_delay=0.05)
    state.add_shop(SHOP_NO, HASH_KEYS, X_KEY_ID)
    server, url = serve_in_thread(create_emulator(state))
    state.url = url
    yield state
    server.shutdown()


@pytest.fixture
def linepay():
    """The LINE Pay emulator on loopback; `linepay.url` is its address, knobs on the state."""
    state = LinePayState()
    state.add_channel(LINEPAY_CHANNEL_ID, LINEPAY_SECRET)
    server, url = serve_in_thread(create_linepay_emulator(state))
    state.url = url
    yield state
    server.shutdown()


@pytest.fixture
def line():
    """The LINE platform emulator on loopback (no seeded shoppers)."""
    state = LineState(CHANNEL_SECRET, ACCESS_TOKEN, seed_shoppers=False)
    server, url = serve_in_thread(create_line_emulator(state))
    state.url = url
    yield state
    server.shutdown()
    state.close()




@pytest.fixture
def make_shop(database_url, line, bank):
    """Start the bot on loopback wired to both emulators; `make_shop(WORKER_THREADS=4)` overrides."""
    started = []

    def start(**overrides):
        port = _free_port()
        public = f"http://127.0.0.1:{port}"
        app = create_app(settings_for(database_url, line.url, bank.url, public, **overrides))
        server, _ = serve_in_thread(app, port=port)
        line.webhook_url = f"{public}/callback"
        shop = Shop(app, line, bank, public)
        started.append((server, shop))
        return shop

    yield start
    for server, shop in started:
        server.shutdown()
        shop.rt.worker.stop()
        shop.rt.db.close()
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    conn.close()


@pytest.fixture
def shop(make_shop):
    return make_shop()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: run `bin/setup --dev`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Without the background-networking flags Chromium keeps dialling Google's hosts,
        # which this network refuses.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()
