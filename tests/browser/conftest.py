"""The whole sandbox for browser tests, and screenshots."""
import socket
from pathlib import Path

import psycopg2
import pytest

from sandbox import run as sandbox
from tests.support.settings import TABLES

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

sync_api = pytest.importorskip("playwright.sync_api")


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sandbox_shop(database_url):
    """The sandbox exactly as `python -m sandbox` starts it, on free ports and the test database."""
    running = sandbox.start("127.0.0.1", _port(), _port(), _port(), "LINE 小舖",
                            database_url=database_url, linepay_port=_port())
    yield running
    sandbox.stop(running)
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        cur.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    conn.close()



@pytest.fixture
def shot():
    """`shot(page, "name")` saves tests/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    return take
