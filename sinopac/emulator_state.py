"""All state of the bank emulator in one lock-guarded object (style rule 22)."""
from __future__ import annotations

import base64
import logging
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import requests

from . import crypto

log = logging.getLogger(__name__)

# Taiwan has no DST, so a fixed UTC+8 is exact (§12: dates are Asia/Taipei).
TAIPEI = timezone(timedelta(hours=8))
_EPOCH_0001 = datetime(1, 1, 1, tzinfo=timezone.utc)


def now_taipei() -> datetime:
    """Return the current time in Asia/Taipei."""
    return datetime.now(TAIPEI)


def bank_date(moment: datetime) -> str:
    """Format a time as the bank's yyyyMMddHHmm."""
    return moment.strftime("%Y%m%d%H%M")


@dataclass
class Shop:
    """A merchant the emulated bank knows."""

    shop_no: str
    hash_id: str
    x_key_id: str


@dataclass
class Payment:
    """One payment attempt, found again by its PayToken (§8.2)."""

    pay_token: str
    status: str  # S paid, F declined (TSResultContent.Status)
    description: str
    pay_date: str | None


@dataclass
class Refund:
    """One accepted OrderMaintain R (or C) on a card order; Amount in minor units."""

    command: str
    amount: int
    date: str
    remark: str | None


@dataclass
class EmulatedOrder:
    """An order as the bank keeps it; Amount in minor units as on the wire."""

    shop_no: str
    message: dict  # the decrypted OrderCreate request
    ts_no: str
    created: datetime
    atm_pay_no: str | None = None
    card_token: str | None = None
    paid: bool = False
    pay_date: str | None = None
    refunds: list[Refund] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)

    @property
    def order_no(self) -> str:
        return self.message["OrderNo"]

    @property
    def amount(self) -> int:
        return int(self.message["Amount"])

    @property
    def pay_type(self) -> str:
        return self.message["PayType"]

    @property
    def refunded_amount(self) -> int:
        return sum(refund.amount for refund in self.refunds)

    def pay_status(self) -> str:
        """Return the §8.3 PayStatus code: 1A200/1A400 ATM, 1C200/1C400 card."""
        return f"1{self.pay_type}{400 if self.paid else 200}"


class EmulatorState:
    """Shops, nonces, orders, payments, notifications and test knobs of one emulated bank."""

    def __init__(self, public_url: str | None = None, notify_attempts: int = 3,
                 notify_retry_delay: float = 0.2):
        self.lock = threading.RLock()
        self.public_url = public_url
        self.notify_attempts = notify_attempts
        self.notify_retry_delay = notify_retry_delay
        self.shops: dict[str, Shop] = {}
        self.orders: dict[tuple[str, str], EmulatedOrder] = {}
        self.notifications: list[tuple[str, dict, int | None]] = []
        self.latency = 0.0
        self.fail_next = 0
        self.fail_mode = "500"
        self.hang_seconds = 5.0
        # Knobs: carry out the next `drop_next` calls but lose their answers (the caller
        # times out); refuse the next `refuse_next` OrderMaintain calls with this Description.
        self.drop_next = 0
        self.refuse_next = 0
        self.refuse_description = "E0304 – 銀行拒絕此交易"
        self.calls: dict[str, int] = {}  # APIService -> how many times a merchant asked
        self._nonces: dict[str, str] = {}
        self._ts_counter = 0
        self._notified = threading.Condition(self.lock)

    def add_shop(self, shop_no: str, hash_keys: tuple[str, str, str, str], x_key_id: str) -> None:
        """Register a merchant with its four hash keys and X-KeyID."""
        with self.lock:
            self.shops[shop_no] = Shop(shop_no, crypto.hash_id(*hash_keys), x_key_id)

    def issue_nonce(self, shop_no: str) -> str:
        """Return a new nonce shaped like the bank's (§1.3), bound to the shop."""
        ms = (datetime.now(timezone.utc) - _EPOCH_0001).total_seconds() * 1000
        raw = f"{ms:.1f}:{secrets.token_hex(32)}"
        nonce = base64.b64encode(raw.encode("ascii")).decode("ascii")
        with self.lock:
            self._nonces[nonce] = shop_no
        return nonce

    def take_nonce(self, nonce: str, shop_no: str) -> bool:
        """Spend a nonce; False if unknown, already used or issued to another shop."""
        with self.lock:
            return self._nonces.pop(nonce, None) == shop_no

    def count_call(self, service: str) -> None:
        """Count one Order call of `service` (tests check what a notice cost)."""
        with self.lock:
            self.calls[service] = self.calls.get(service, 0) + 1

    def take_failure(self) -> str | None:
        """Consume one `fail_next` knob; return the fail mode or None."""
        with self.lock:
            if self.fail_next <= 0:
                return None
            self.fail_next -= 1
            return self.fail_mode

    def take_drop(self) -> bool:
        """Consume one `drop_next` knob."""
        with self.lock:
            if self.drop_next <= 0:
                return False
            self.drop_next -= 1
            return True

    def take_refusal(self) -> str | None:
        """Consume one `refuse_next` knob; return the Description to refuse with, or None."""
        with self.lock:
            if self.refuse_next <= 0:
                return None
            self.refuse_next -= 1
            return self.refuse_description

    def add_order(self, shop_no: str, message: dict) -> EmulatedOrder | None:
        """Store a new order; None if the shop already has this OrderNo."""
        with self.lock:
            if (shop_no, message["OrderNo"]) in self.orders:
                return None
            self._ts_counter += 1
            # §7.2: TSNo = shop code without "_001" + an 8-digit sequence.
            order = EmulatedOrder(shop_no, message, f"{shop_no.split('_')[0]}{self._ts_counter:08d}",
                                  now_taipei())
            if order.pay_type == "A":
                order.atm_pay_no = "99922" + f"{secrets.randbelow(10 ** 9):09d}"
            else:
                order.card_token = str(uuid.uuid4())
            self.orders[(shop_no, order.order_no)] = order
            return order

    def find_order(self, order_no: str, shop_no: str | None = None) -> EmulatedOrder:
        """Return the order with this OrderNo; KeyError if none or ambiguous."""
        with self.lock:
            found = [o for (shop, number), o in self.orders.items()
                     if number == order_no and shop_no in (None, shop)]
        if len(found) != 1:
            raise KeyError(order_no)
        return found[0]

    def find_by(self, predicate) -> EmulatedOrder | None:
        """Return the first order for which `predicate(order)` is true."""
        with self.lock:
            return next((o for o in self.orders.values() if predicate(o)), None)

    def find_payment(self, shop_no: str, pay_token: str) -> tuple[EmulatedOrder, Payment] | None:
        """Return the order and payment attempt holding this PayToken."""
        with self.lock:
            for order in self.orders.values():
                for payment in order.payments:
                    if order.shop_no == shop_no and payment.pay_token == pay_token:
                        return order, payment
        return None

    def pay(self, order_no: str, shop_no: str | None = None, *, notify: bool = True) -> Payment:
        """Mark an order paid and notify its BackendURL (unless the notice is to be lost);
        ValueError if already paid."""
        order = self.find_order(order_no, shop_no)
        with self.lock:
            if order.paid:
                raise ValueError("order already paid")
            order.paid = True
            order.pay_date = bank_date(now_taipei())
            payment = self._record(order, "S", "", order.pay_date)
        if notify:
            self.notify(order, payment)
        return payment

    def decline(self, order_no: str, shop_no: str | None = None) -> Payment:
        """Record a declined card authorisation and notify its BackendURL."""
        order = self.find_order(order_no, shop_no)
        with self.lock:
            if order.paid:
                raise ValueError("order already paid")
            payment = self._record(order, "F", "E0701 – 交易授權失敗", None)
        self.notify(order, payment)
        return payment

    def _record(self, order: EmulatedOrder, status: str, description: str,
                pay_date: str | None) -> Payment:
        # §8.1: PayToken is 64 lowercase hex characters.
        payment = Payment(secrets.token_hex(32), status, description, pay_date)
        order.payments.append(payment)
        return payment

    def latest_payment(self, order_no: str, shop_no: str | None = None) -> Payment:
        """Return the order's last payment attempt; LookupError if none."""
        order = self.find_order(order_no, shop_no)
        with self.lock:
            if not order.payments:
                raise LookupError(order_no)
            return order.payments[-1]

    def notify(self, order: EmulatedOrder, payment: Payment, times: int = 1,
               delay: float = 0.0) -> None:
        """POST {ShopNo, PayToken} to BackendURL `times` times, in the background (§8.1)."""
        body = {"ShopNo": order.shop_no, "PayToken": payment.pay_token}
        url = order.message["BackendURL"]
        threading.Thread(target=self._deliver, args=(url, body, times, delay),
                         daemon=True, name="sinopac-emulator-notify").start()

    def _deliver(self, url: str, body: dict, times: int, delay: float) -> None:
        time.sleep(delay)
        for _ in range(times):
            # §8.1: the bank re-sends until the merchant answers 200 (here a few quick tries).
            for attempt in range(self.notify_attempts):
                status = _post_json(url, body)
                with self.lock:
                    self.notifications.append((url, body, status))
                    self._notified.notify_all()
                if status == 200:
                    break
                time.sleep(self.notify_retry_delay * (attempt + 1))

    def wait_for_notifications(self, count: int, timeout: float = 5.0) -> list:
        """Block until `count` notifications were sent; return them (TimeoutError if not)."""
        with self._notified:
            if not self._notified.wait_for(lambda: len(self.notifications) >= count, timeout):
                raise TimeoutError(f"{len(self.notifications)} of {count} notifications sent")
            return list(self.notifications)

    def order_list(self) -> list[dict]:
        """Return every order as plain JSON-ready dicts (for GET /_emulator/orders)."""
        with self.lock:
            return [{"ShopNo": o.shop_no, "OrderNo": o.order_no, "TSNo": o.ts_no,
                     "Amount": o.amount, "PayType": o.pay_type, "PayStatus": o.pay_status(),
                     "PayDate": o.pay_date, "AtmPayNo": o.atm_pay_no,
                     "RefundedAmount": o.refunded_amount,
                     "Refunds": [vars(refund) for refund in o.refunds],
                     "PayTokens": [p.pay_token for p in o.payments]}
                    for o in self.orders.values()]


def _post_json(url: str, body: dict) -> int | None:
    """POST the notification; return the HTTP status, None if the merchant is unreachable."""
    try:
        resp = requests.post(url, data=crypto.dumps(body).encode("utf-8"), timeout=5,
                             headers={"Content-Type": "application/json; charset=utf-8"})
    except requests.RequestException as exc:
        log.info("event=emulator_notify_failed url=%s error=%s", url, type(exc).__name__)
        return None
    return resp.status_code
