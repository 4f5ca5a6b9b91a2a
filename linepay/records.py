"""Typed requests and answers of LINE Pay Online API v3 (shared/refs/linepay.md §3–§7).

Amounts are whole NT$ (LINE Pay counts major units, §1). transactionId is a 19-digit
number above 2**53 (§11): it is kept as an exact int and never passes through a float.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

CURRENCY = "TWD"

# §6: the check API's answers; 0000 there means "not approved yet", not "paid".
CHECK_RESERVED = "0000"
CHECK_AUTHORIZED = "0110"
CHECK_CANCELLED = "0121"
CHECK_FAILED = "0122"
CHECK_COMPLETED = "0123"
CHECK_CODES = frozenset({CHECK_RESERVED, CHECK_AUTHORIZED, CHECK_CANCELLED, CHECK_FAILED,
                         CHECK_COMPLETED})


def exact_id(value) -> int:
    """Return a transactionId sent as a JSON number or string, exactly.

    :raise ValueError: a float, Decimal, bool or anything but digits — a float
        has already lost the last digits (§11).
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"transactionId must be an integer or a digit string, "
                         f"not {type(value).__name__}")
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("transactionId is not a digit string")
    return int(value)


def whole_amount(value) -> int:
    """Return an amount answered as a JSON number (int or integral Decimal) as int."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or value != int(value):
        raise ValueError("amount must be a whole number")
    return int(value)


@dataclass(frozen=True)
class Product:
    """One line of a package: `price` × `quantity` NT$."""

    name: str
    quantity: int
    price: int
    id: str | None = None
    image_url: str | None = None
    original_price: int | None = None  # §3.1 originalPrice: the price before a discount

    def to_body(self) -> dict:
        body = {"name": self.name, "quantity": self.quantity, "price": self.price}
        if self.id is not None:
            body["id"] = self.id
        if self.image_url is not None:
            body["imageUrl"] = self.image_url
        if self.original_price is not None:
            body["originalPrice"] = self.original_price
        return body


@dataclass(frozen=True)
class Package:
    """A package of products; its amount is Σ price × quantity (§3.1)."""

    id: str
    products: tuple[Product, ...]
    name: str | None = None

    @property
    def amount(self) -> int:
        return sum(p.price * p.quantity for p in self.products)

    def to_body(self) -> dict:
        body = {"id": self.id, "amount": self.amount,
                "products": [p.to_body() for p in self.products]}
        if self.name is not None:
            body["name"] = self.name
        return body


@dataclass(frozen=True)
class PaymentRequest:
    """A request-payment call (§3.1); `amount` must be Σ package amounts.

    :raise ValueError: the amounts do not add up, or a quantity/price is not positive.
    """

    order_id: str
    amount: int
    packages: tuple[Package, ...]
    confirm_url: str
    cancel_url: str
    currency: str = CURRENCY
    locale: str | None = None

    def __post_init__(self):
        for package in self.packages:
            if not package.products or any(p.quantity <= 0 or p.price < 0
                                           for p in package.products):
                raise ValueError(f"package {package.id}: products need quantity > 0, price ≥ 0")
        total = sum(p.amount for p in self.packages)
        if not self.packages or total != self.amount or self.amount <= 0:
            raise ValueError(f"amount {self.amount} ≠ Σ packages {total}")

    def to_body(self) -> dict:
        """Return the JSON body of POST /v3/payments/request."""
        body = {"amount": self.amount, "currency": self.currency, "orderId": self.order_id,
                "packages": [p.to_body() for p in self.packages],
                "redirectUrls": {"confirmUrl": self.confirm_url, "cancelUrl": self.cancel_url}}
        if self.locale:
            body["options"] = {"display": {"locale": self.locale}}
        return body


@dataclass(frozen=True)
class PaymentRequestAnswer:
    """The answer to request payment (§3.2): the shopper's buttons and the transactionId."""

    transaction_id: int
    payment_url_web: str
    payment_url_app: str | None
    payment_access_token: str | None
    return_message: str | None = None

    @classmethod
    def from_answer(cls, answer: dict) -> PaymentRequestAnswer:
        info = answer["info"]
        urls = info.get("paymentUrl") or {}
        return cls(exact_id(info["transactionId"]), urls["web"], urls.get("app"),
                   info.get("paymentAccessToken"), answer.get("returnMessage"))


@dataclass(frozen=True)
class PayInfo:
    """How (part of) a confirmed payment was paid (§5)."""

    method: str
    amount: int


@dataclass(frozen=True)
class ConfirmAnswer:
    """The answer to confirm (§5); check Σ pay_info against the amount we hold."""

    transaction_id: int
    order_id: str
    pay_info: tuple[PayInfo, ...] = field(default_factory=tuple)

    @property
    def paid_amount(self) -> int:
        return sum(p.amount for p in self.pay_info)

    @classmethod
    def from_answer(cls, answer: dict) -> ConfirmAnswer:
        info = answer["info"]
        pay_info = tuple(PayInfo(row.get("method", ""), whole_amount(row["amount"]))
                         for row in info.get("payInfo") or [])
        return cls(exact_id(info["transactionId"]), info["orderId"], pay_info)


@dataclass(frozen=True)
class CheckAnswer:
    """The answer to check payment request status (§6); decide on `return_code`."""

    return_code: str
    return_message: str | None = None

    @property
    def is_reserved(self) -> bool:
        """Requested, the shopper has not approved yet: wait."""
        return self.return_code == CHECK_RESERVED

    @property
    def is_authorized(self) -> bool:
        """Approved by the shopper: call confirm with the amount we hold."""
        return self.return_code == CHECK_AUTHORIZED

    @property
    def is_completed(self) -> bool:
        """Already confirmed: paid."""
        return self.return_code == CHECK_COMPLETED

    @property
    def is_final_failure(self) -> bool:
        """Cancelled, timed out or failed: this attempt will never be paid."""
        return self.return_code in (CHECK_CANCELLED, CHECK_FAILED)


@dataclass(frozen=True)
class RefundAnswer:
    """The answer to refund (§7)."""

    refund_transaction_id: int
    refund_transaction_date: str | None = None

    @classmethod
    def from_answer(cls, answer: dict) -> RefundAnswer:
        info = answer["info"]
        return cls(exact_id(info["refundTransactionId"]), info.get("refundTransactionDate"))
