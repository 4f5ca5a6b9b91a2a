"""All state of the LINE Pay emulator in one lock-guarded object (style rule 22).

Section numbers refer to shared/refs/linepay.md.
"""
from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

RESERVED = "RESERVED"      # requested, the shopper has not approved (check 0000)
AUTHORIZED = "AUTHORIZED"  # approved on the payment page, not confirmed (0110)
CONFIRMED = "CONFIRMED"    # confirmed by the merchant: paid (0123)
CANCELLED = "CANCELLED"    # cancelled by the shopper or expired (0121)
FAILED = "FAILED"          # the payment failed (0122)

# §11: 19-digit ids ≥ 2×10^18, far above 2**53, so any float on the way shows.
FIRST_TRANSACTION_ID = 2021121600698709711
PAYMENT_WINDOW = timedelta(minutes=20)  # §3.2: the shopper has 20 minutes


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Channel:
    """A merchant channel the emulated LINE Pay knows."""

    channel_id: str
    channel_secret: str
    currency: str = "TWD"


@dataclass
class Transaction:
    """One payment request, as LINE Pay keeps it."""

    transaction_id: int
    channel_id: str
    body: dict  # the request-payment body as received
    reserve_id: str  # the payment page's token (transactionReserveId)
    access_token: str
    created: datetime
    state: str = RESERVED
    refunds: list[tuple[int, int, str]] = field(default_factory=list)  # (id, amount, date)

    @property
    def order_id(self) -> str:
        return self.body["orderId"]

    @property
    def amount(self) -> int:
        return self.body["amount"]

    @property
    def refundable(self) -> int:
        return self.amount - sum(amount for _, amount, _ in self.refunds)


class LinePayState:
    """Channels, nonces, transactions and test knobs of one emulated LINE Pay."""

    def __init__(self, public_url: str | None = None,
                 payment_window: timedelta = PAYMENT_WINDOW):
        self.lock = threading.RLock()
        self.public_url = public_url
        self.payment_window = payment_window
        self.channels: dict[str, Channel] = {}
        self.transactions: dict[int, Transaction] = {}
        # Test knobs (style rule 22), also set through POST /_emulator/config.
        self.ids_as_strings = False  # answer transactionId as a JSON string, not a number
        self.drop_confirm_answers = 0  # confirm takes effect, but the answer is lost
        self.drop_mode = "500"  # "500": answer HTTP 500; "timeout": answer after hang_seconds
        self.hang_seconds = 2.0
        self._nonces: set[tuple[str, str]] = set()
        self._next_id = FIRST_TRANSACTION_ID

    def add_channel(self, channel_id: str, channel_secret: str, currency: str = "TWD") -> None:
        """Register a merchant channel with its secret."""
        with self.lock:
            self.channels[channel_id] = Channel(channel_id, channel_secret, currency)

    def spend_nonce(self, channel_id: str, nonce: str) -> bool:
        """Record a nonce; False if this channel used it before (an emulator rule, §2.2)."""
        with self.lock:
            if (channel_id, nonce) in self._nonces:
                return False
            self._nonces.add((channel_id, nonce))
            return True

    def new_id(self) -> int:
        """Return the next 19-digit id (transactionId or refundTransactionId).

        Always odd: above 2**53 no odd number is exact as a float, so a client that parses ids
        as floats is caught every time (one id in 256 would be exact otherwise).
        """
        with self.lock:
            self._next_id += 2 * (secrets.randbelow(500) + 1)
            return self._next_id

    def reserve(self, channel_id: str, body: dict) -> Transaction | None:
        """Store a new payment request; None if the channel used this orderId before (1172)."""
        with self.lock:
            if any(t.channel_id == channel_id and t.order_id == body["orderId"]
                   for t in self.transactions.values()):
                return None
            transaction = Transaction(self.new_id(), channel_id, body, secrets.token_urlsafe(16),
                                      f"{secrets.randbelow(10 ** 12):012d}", utc_now())
            self.transactions[transaction.transaction_id] = transaction
            return transaction

    def find(self, transaction_id: int, channel_id: str | None = None) -> Transaction | None:
        """Return the transaction (of this channel, if given), after applying expiry."""
        with self.lock:
            transaction = self.transactions.get(transaction_id)
            if transaction is None or channel_id not in (None, transaction.channel_id):
                return None
            self._expire(transaction)
            return transaction

    def find_by_reserve_id(self, reserve_id: str) -> Transaction | None:
        """Return the transaction behind a payment page token."""
        with self.lock:
            found = next((t for t in self.transactions.values() if t.reserve_id == reserve_id),
                         None)
            return found and self.find(found.transaction_id)

    def _expire(self, transaction: Transaction) -> None:
        # §3.2: unanswered for 20 minutes → cancelled (check 0121).
        if transaction.state in (RESERVED, AUTHORIZED) \
                and utc_now() - transaction.created > self.payment_window:
            transaction.state = CANCELLED

    def move(self, transaction_id: int, from_states: tuple[str, ...], to_state: str) -> bool:
        """Move a transaction between states; False if it is not in `from_states`."""
        with self.lock:
            transaction = self.find(transaction_id)
            if transaction is None or transaction.state not in from_states:
                return False
            transaction.state = to_state
            return True

    def approve(self, transaction_id: int) -> bool:
        """The shopper approves on the payment page."""
        return self.move(transaction_id, (RESERVED,), AUTHORIZED)

    def cancel(self, transaction_id: int) -> bool:
        """The shopper cancels on the payment page."""
        return self.move(transaction_id, (RESERVED,), CANCELLED)

    def fail(self, transaction_id: int) -> bool:
        """The payment fails before confirm (check 0122), a test knob."""
        return self.move(transaction_id, (RESERVED, AUTHORIZED), FAILED)

    def take_dropped_confirm(self) -> str | None:
        """Consume one `drop_confirm_answers` knob; return the drop mode or None."""
        with self.lock:
            if self.drop_confirm_answers <= 0:
                return None
            self.drop_confirm_answers -= 1
            return self.drop_mode

    def transaction_list(self) -> list[dict]:
        """Every transaction as plain JSON-ready dicts (ids as strings, for browsers)."""
        with self.lock:
            return [{"transactionId": str(t.transaction_id), "orderId": t.order_id,
                     "channelId": t.channel_id, "amount": t.amount, "state": t.state,
                     "refunded": t.amount - t.refundable}
                    for t in self.transactions.values()]
