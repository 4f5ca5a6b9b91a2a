"""Typed records passed between the database, the rules and the chat."""
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    price: int
    stock: int
    image_url: str | None = None
    description: str = ""
    active: bool = True


@dataclass(frozen=True)
class CartLine:
    product_id: int
    name: str
    price: int
    quantity: int
    stock: int
    image_url: str | None = None
    active: bool = True  # False: taken off sale by the owner; it can only be removed

    @property
    def amount(self) -> int:
        return self.price * self.quantity


@dataclass(frozen=True)
class Coupon:
    id: int
    code: str
    kind: str  # 'amount' (NT$ off) or 'percent' (% off)
    value: int
    min_spend: int
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class OrderLine:
    product_id: int
    name: str
    unit_price: int
    quantity: int
    image_url: str | None = None

    @property
    def amount(self) -> int:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Recipient:
    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class Order:
    id: int
    user_id: str
    status: str
    subtotal: int
    discount: int
    total: int
    expires_at: datetime
    created_at: datetime
    lines: tuple[OrderLine, ...] = ()
    flagged: bool = False
    flag_note: str | None = None
    recipient: Recipient | None = None
    tracking_note: str | None = None
    paid_at: datetime | None = None
    shipped_at: datetime | None = None


@dataclass(frozen=True)
class PaymentAttempt:
    id: int
    order_no: str
    order_id: int
    pay_type: str  # 'A' ATM virtual account, 'C' credit card, 'L' LINE Pay
    amount: int
    status: str
    ts_no: str | None = None
    atm_bank_code: str | None = None
    atm_pay_no: str | None = None
    atm_expire_date: str | None = None
    atm_web_url: str | None = None
    card_url: str | None = None
    description: str | None = None
    pay_date: str | None = None
    pay_url: str | None = None        # LINE Pay's paymentUrl.web
    pay_app_url: str | None = None    # LINE Pay's paymentUrl.app (line://…)


@dataclass(frozen=True)
class PayMethod:
    """A way of paying offered to shoppers: its name on buttons and in the API, its attempt type."""
    name: str        # 'atm', 'card', 'linepay': postback and order-API spelling
    pay_type: str    # payment_attempts.pay_type
    label_key: str   # models/texts.py key of its button
    max_total: int   # the most it takes in one payment, NT$


@dataclass(frozen=True)
class PaymentResult:
    """What the bank says happened to one of our OrderNos (from OrderPayQuery or OrderQuery)."""
    order_no: str
    paid: bool
    amount: int | None
    ts_no: str | None = None
    description: str | None = None
    pay_date: str | None = None


@dataclass(frozen=True)
class Refund:
    """Money given back on an order: by card through the bank, or by an ATM-side transfer."""
    id: int
    order_id: int
    attempt_id: int | None
    amount: int
    method: str  # 'card' (OrderMaintain R) or 'atm_transfer' (the owner sent it by bank)
    status: str  # 'pending', 'done' or 'failed'
    reason: str
    created_at: datetime
    note: str | None = None
    restock: bool = False
    bank_call_until: datetime | None = None
    bank_description: str | None = None
    created_by: int | None = None
    request_key: str | None = None
