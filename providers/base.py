"""The one payment interface: what checkout, the chat, the order API, the notice and confirm
pages, `sync-payments` and refunds ask of a payment provider.

A provider only translates between our attempt rows and its own protocol. What a result does
to an order (models/payment.py `decide`) and applying it once (services/payments.py
`apply_payment_result`) stay ours, whoever the provider is.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from models.records import Order, PaymentAttempt, PaymentResult, PayMethod


class ProviderError(Exception):
    """A provider call failed; nothing in our database changed because of it."""


class ProviderRefused(ProviderError):
    """The provider answered no (its reason, in its own words)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProviderUnavailable(ProviderError):
    """No usable answer (timeout, connection, bad signature): the call may have taken effect."""


@dataclass(frozen=True)
class Started:
    """What the provider answered to a new payment: how the shopper pays, and until when."""
    ts_no: str | None            # the provider's transaction number, as text
    description: str
    hold_until: datetime         # the order's stock is held at least this long
    atm_bank_code: str | None = None
    atm_pay_no: str | None = None
    atm_expire_date: str | None = None
    atm_web_url: str | None = None
    card_url: str | None = None
    pay_url: str | None = None
    pay_app_url: str | None = None


@dataclass(frozen=True)
class Lookup:
    """What the provider knows about one attempt (for `sync-payments`)."""
    result: PaymentResult | None = None   # a result to apply (paid or failed)
    gone: bool = False                    # never payable any more (cancelled, expired): void it


class PaymentProvider(Protocol):
    """One way of paying. `method` names it to shoppers and in the attempt rows."""
    method: PayMethod
    refund_method: str   # refunds.method: 'card', 'atm_transfer' or 'linepay'
    refunds_online: bool  # False: the owner gives the money back by hand (an ATM transfer)
    refund_call_seconds: float  # the longest one `refund` call may take

    def start(self, order: Order, attempt: PaymentAttempt, now: datetime) -> Started:
        """Create the provider's payment for our committed attempt row.

        :raise ProviderRefused: it said no. :raise ProviderUnavailable: no answer.
        """

    def look_up(self, attempt: PaymentAttempt) -> Lookup:
        """Ask what became of an attempt. :raise ProviderUnavailable: no answer."""

    def refund(self, attempt: PaymentAttempt, amount: int, remark: str | None) -> str:
        """Give `amount` NT$ of a paid attempt back; returns the provider's description.

        :raise ProviderRefused: it said no. :raise ProviderUnavailable: the refund may have happened.
        """

    def refunded(self, attempt: PaymentAttempt) -> int | None:
        """NT$ the provider says it refunded of this attempt so far (after a lost answer).

        :raise ProviderUnavailable: it can't tell.
        """


@runtime_checkable
class ConfirmingProvider(PaymentProvider, Protocol):
    """A provider that sends the shopper back to us to confirm the payment (LINE Pay)."""

    def confirm(self, attempt: PaymentAttempt) -> PaymentResult | None:
        """Confirm with the amount we hold; None while undecided (ask `look_up` later)."""
