"""What the use cases report: domain events, in the shop's words (no LINE, no message JSON).

A use case records them in its unit of work; the notifier (handlers/notifier.py) turns each
into messages for `user_id` in the same transaction. An event that answers the shopper whose
chat event is being handled is replied; a `Notice` (news the shopper didn't just ask for) is
always pushed.
"""
from dataclasses import dataclass
from datetime import datetime

from models.errors import ShopError
from models.order import Totals
from models.records import CartLine, Coupon, Order, PaymentAttempt, Product, Recipient, Refund


@dataclass(frozen=True)
class Event:
    user_id: str | None  # the shopper (or the group) told; None: nobody to tell


@dataclass(frozen=True)
class Notice(Event):
    """News for a shopper: pushed, even while that shopper's own chat event is being answered."""


@dataclass(frozen=True)
class ProductsShown(Event):
    products: list[Product]
    page: int


@dataclass(frozen=True)
class ProductShown(Event):
    product: Product
    in_cart: int


@dataclass(frozen=True)
class CartShown(Event):
    lines: list[CartLine]
    totals: Totals
    coupon: Coupon | None


@dataclass(frozen=True)
class CartChanged(CartShown):
    product: Product
    quantity: int


@dataclass(frozen=True)
class UnavailableDropped(CartShown):
    """Lines of products taken off sale were removed (`names`); the rest of the cart follows."""
    names: list[str]


@dataclass(frozen=True)
class CheckoutStopped(Event):
    """Checkout found lines taken off sale: nothing was ordered; the shopper may drop them."""
    unavailable: list[CartLine]


@dataclass(frozen=True)
class OrderPlaced(Event):
    order_id: int
    lines: list[CartLine]
    totals: Totals
    expires_at: datetime
    recipient: Recipient | None


@dataclass(frozen=True)
class PaymentStarted(Event):
    order_id: int
    attempt: PaymentAttempt
    hold_until: datetime
    card_minutes: int


@dataclass(frozen=True)
class PaymentNotice(Notice):
    """What the bank's result means for the shopper (models/payment.py decides which)."""
    order_id: int
    amount: int
    reason: str | None = None


class PaymentReceived(PaymentNotice):
    pass


class PaymentFailed(PaymentNotice):
    pass


class PaidTwice(PaymentNotice):
    pass


class PaidAfterClose(PaymentNotice):
    pass


@dataclass(frozen=True)
class OrdersShown(Event):
    orders: list[Order]


@dataclass(frozen=True)
class OrderCancelled(Event):
    order_id: int


@dataclass(frozen=True)
class OrderExpired(Notice):
    order_id: int


@dataclass(frozen=True)
class OrderShipped(Notice):
    order_id: int
    tracking_note: str


@dataclass(frozen=True)
class OrderRefunded(Notice):
    """Money given back on an order (card through the bank, or an ATM-side transfer)."""
    order_id: int
    refund: Refund


@dataclass(frozen=True)
class Followed(Event):
    shop_name: str
    coupon: Coupon | None
    returning: bool


@dataclass(frozen=True)
class RecipientSaved(Event):
    recipient: Recipient


@dataclass(frozen=True)
class HelpShown(Event):
    pass


@dataclass(frozen=True)
class GroupInvited(Event):
    """A group or room (`user_id` is its id) is asked, once ever, to chat with the shop one to one."""


@dataclass(frozen=True)
class Refused(Event):
    """A ShopError: the shopper is told what went wrong; nothing else changed."""
    error: ShopError


@dataclass(frozen=True)
class EventFailed(Notice):
    """Handling the shopper's event crashed; they get an apology while it is retried."""


@dataclass(frozen=True)
class Unfollowed(Event):
    """The shopper blocked the shop: nothing to say (LINE wouldn't deliver it)."""


@dataclass(frozen=True)
class Ignored(Event):
    """An event the shop has nothing to say to (a sticker in a group, a join…)."""
