"""A running bot seen from outside: shoppers chatting through the LINE emulator, the bank paying."""
import time

import psycopg2
from psycopg2.extras import RealDictCursor

from tests.support.messages import message_text


class Shop:
    """Drives the bot the way shoppers and the bank do, and reads what they would see."""

    def __init__(self, app, line, bank, public_url):
        self.app = app
        self.rt = app.extensions["runtime"]
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
        """Process every claimable event here, and wait for those leased to background workers.

        A background worker marks its event done at commit and sends the reply just after, so
        the wait ends only when the messages were tried too.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rt.worker.run_pending():
                continue
            if not self.sql("SELECT 1 FROM inbox WHERE status = 'pending' AND locked_until > now() "
                            "AND last_error IS NULL"):
                break
            time.sleep(0.02)
        self.wait_for_delivery(max(0.5, deadline - time.monotonic()))

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

    def wait_for_delivery(self, timeout: float = 5.0) -> None:
        """Wait until every queued message was tried once (pushes for the bank leave in the
        background, after the bank was answered)."""
        assert self.wait_until(lambda: not self.sql(
            "SELECT 1 FROM outbox WHERE status = 'pending' AND last_error IS NULL"), timeout)

    def wait_until(self, condition, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.02)
        return False
