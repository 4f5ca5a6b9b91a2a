"""Fixtures: real PostgreSQL (pgserver), the bot served on loopback, LINE and bank emulators."""
import os
import socket
import time

import pgserver
import psycopg2
import pytest
from psycopg2.extras import RealDictCursor

from app import create_app
from db.migrate import init_db
from db.pool import Database
from sandbox.line_emulator import LineState, create_line_emulator, serve_in_thread
from sinopac.emulator import create_emulator
from sinopac.emulator_state import EmulatorState

os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

CHANNEL_SECRET = "test-channel-secret-0123456789ab"
ACCESS_TOKEN = "test-channel-access-token-SECRET"
SHOP_NO = "NA0249_001"
# The bank's public sandbox demo keys (shared/refs/sinopac-qpay.md §10.1, H2): not secrets.
HASH_KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
X_KEY_ID = "b0c8a2e4-1f3d-4c5b-9a7e-6d2f8e1c0a9b"
TABLES = ("products, shoppers, cart_items, coupons, orders, order_items, payment_attempts, "
          "inbox, outbox, stock_adjustments, admins, login_throttle, bank_notices, "
          "group_invitations, audit_log")


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
def line():
    """The LINE platform emulator on loopback (no seeded shoppers)."""
    state = LineState(CHANNEL_SECRET, ACCESS_TOKEN, seed_shoppers=False)
    server, url = serve_in_thread(create_line_emulator(state))
    state.url = url
    yield state
    server.shutdown()
    state.close()


def settings_for(database_url, line_url, bank_url, public_url, **overrides) -> dict:
    return {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "LINE_API_BASE_URL": line_url,
        "SINOPAC_API_URL": f"{bank_url}/api",
        "SINOPAC_SHOP_NO": SHOP_NO,
        "SINOPAC_HASH_A1": HASH_KEYS[0], "SINOPAC_HASH_A2": HASH_KEYS[1],
        "SINOPAC_HASH_B1": HASH_KEYS[2], "SINOPAC_HASH_B2": HASH_KEYS[3],
        "SINOPAC_X_KEY_ID": X_KEY_ID,
        "PUBLIC_BASE_URL": public_url,
        "WORKER_THREADS": "0",
        "HTTP_TIMEOUT": "3",
        **{key: str(value) for key, value in overrides.items()},
    }


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


class Shop:
    """Drives the bot the way shoppers and the bank do, and reads what they would see."""

    def __init__(self, app, line, bank, public_url):
        self.app = app
        self.rt = app.extensions["shop"]
        self.line = line
        self.bank = bank
        self.url = public_url

    # shoppers
    def shopper(self, name="小明", language="zh-TW") -> str:
        return self.line.add_user(name, language).user_id

    def buyer(self, name="小明", language="zh-TW") -> str:
        """A shopper who already gave delivery details (checkout asks for them first)."""
        user_id = self.shopper(name, language)
        self.sql("""INSERT INTO shoppers (user_id, display_name, recipient_name, recipient_phone,
                                          recipient_address)
                    VALUES (%s, %s, %s, '0912345678', '台北市信義區市府路1號')""",
                 (user_id, name, name))
        return user_id

    def text(self, user_id: str, text: str) -> list[dict]:
        """Send a text as the shopper; returns the bot messages it caused."""
        return self._exchange(user_id, lambda: self.line.webhook.send_text(user_id, text))

    def postback(self, user_id: str, data: str) -> list[dict]:
        return self._exchange(user_id, lambda: self.line.webhook.send_postback(user_id, data))

    def follow(self, user_id: str) -> list[dict]:
        return self._exchange(user_id, lambda: self.line.webhook.send_follow(user_id))

    def _exchange(self, user_id: str, send) -> list[dict]:
        seen = len(self.bot_messages(user_id))
        delivery = send()
        assert delivery.ok, delivery
        self.work()
        return self.bot_messages(user_id)[seen:]

    def work(self, timeout: float = 10.0) -> None:
        """Process every claimable event here, and wait for those leased to background workers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rt.worker.run_pending():
                continue
            if not self.sql("SELECT 1 FROM inbox WHERE status = 'pending' AND locked_until > now() "
                            "AND last_error IS NULL"):
                return
            time.sleep(0.02)

    def bot_messages(self, user_id: str) -> list[dict]:
        return [entry["message"] for entry in self.line.conversation(user_id)
                if entry["direction"] == "bot"]

    def last_text(self, user_id: str) -> str:
        return message_text(self.bot_messages(user_id)[-1])

    # catalog and database
    def add_product(self, id, name="烏龍茶", price=100, stock=10, image_url=None):
        self.sql("INSERT INTO products (id, name, price, stock, image_url) VALUES (%s, %s, %s, %s, %s)",
                 (id, name, price, stock, image_url))

    def sql(self, query: str, params=()) -> list[dict]:
        with psycopg2.connect(self.rt.db.url, cursor_factory=RealDictCursor) as conn:
            with conn.cursor() as cur:
                cur.execute(query, params)
                rows = cur.fetchall() if cur.description else []
        conn.close()
        return rows

    def stock(self, product_id: int) -> int:
        return self.sql("SELECT stock FROM products WHERE id = %s", (product_id,))[0]["stock"]

    # the bank
    def attempts(self, order_id: int) -> list[dict]:
        return self.sql("SELECT * FROM payment_attempts WHERE order_id = %s ORDER BY id", (order_id,))

    def order(self, order_id: int) -> dict:
        return self.sql("SELECT * FROM orders WHERE id = %s", (order_id,))[0]

    def checkout(self, user_id: str, **cart) -> int:
        """Fill the cart (product id → quantity) and place the order; returns its id."""
        for product_id, quantity in cart.items():
            self.text(user_id, f"cart {product_id.lstrip('p')} {quantity}")
        self.postback(user_id, "action=buy")
        return self.sql("SELECT max(id) AS id FROM orders WHERE user_id = %s", (user_id,))[0]["id"]

    def pay_with(self, user_id: str, order_id: int, method: str) -> list[dict]:
        return self.postback(user_id, f"action=pay&order={order_id}&method={method}")

    def bank_pays(self, order_no: str, *, decline: bool = False) -> None:
        """The bank settles an order (as if the shopper paid) and its notice is handled."""
        before = len(self.bank.notifications)
        (self.bank.decline if decline else self.bank.pay)(order_no)
        self.bank.wait_for_notifications(before + 1)
        self.work()  # the stored notice is confirmed with the bank

    def wait_until(self, condition, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return False


def message_text(message: dict) -> str:
    """Everything a shopper can read in one message (text, template, flex), flattened."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("text", "title", "altText", "label"):
                if isinstance(node.get(key), str):
                    parts.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return "\n".join(parts)


def all_text(messages: list[dict]) -> str:
    return "\n".join(message_text(m) for m in messages)


def actions(message: dict) -> list[dict]:
    """Every tappable action in a message (buttons, quick replies, flex)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("postback", "uri", "message") and "label" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return found
