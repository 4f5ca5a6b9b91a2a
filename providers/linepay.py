"""LINE Pay (Online API v3) behind the payment interface: pay_type 'L'.

Section numbers refer to shared/refs/linepay.md. The transactionId travels as an exact int
and is stored as text in payment_attempts.ts_no (§11): never through a float.
"""
from datetime import datetime, timedelta

from linepay.client import DEFAULT_TIMEOUTS, LinePayClient
from linepay.errors import LinePayError, LinePayRejectedError
from linepay.records import Package, PaymentRequest, Product
from models.records import Order, PaymentAttempt, PaymentResult, PayMethod
from providers.base import Lookup, ProviderRefused, ProviderUnavailable, Started

# The most per payment is the channel's own (1184 above it, §9): we cap it like the card.
LINEPAY = PayMethod("linepay", "L", "button_pay_linepay", 9_999_999)
# §5: answers to confirm that mean "maybe confirmed already": ask check before deciding.
MAYBE_DONE = frozenset({"1152", "1172", "1198"})
# §9: answers after which this transaction will never be paid.
DEAD = frozenset({"1101", "1102", "1110", "1141", "1142", "1150", "1153", "1155", "1159",
                  "1170", "1180"} | {str(code) for code in range(1280, 1299)})
ALREADY_REFUNDED = "1165"


def packages_for(order: Order, shop_name: str) -> tuple[Package, ...]:
    """The order's lines as one package whose amount is exactly the order's total (§3.1).

    The coupon comes off the last lines: a line that takes some of it is sent as one unit at
    its reduced amount, with its full amount as originalPrice, so no price is ever negative.
    """
    products = [Product(line.name, line.quantity, line.unit_price, id=str(line.product_id))
                for line in order.lines]
    off = order.discount
    for index in reversed(range(len(order.lines))):
        if off <= 0:
            break
        line = order.lines[index]
        taken = min(off, line.amount)
        products[index] = Product(f"{line.name} × {line.quantity}", 1, line.amount - taken,
                                  id=str(line.product_id), original_price=line.amount)
        off -= taken
    return (Package(f"order-{order.id}", tuple(products), name=shop_name[:100]),)


class LinePayPayment:
    """LINE Pay: request → the shopper approves → we confirm with the amount we hold."""

    method = LINEPAY
    refund_method = "linepay"
    refunds_online = True

    def __init__(self, client: LinePayClient, *, shop_name: str, confirm_url: str,
                 cancel_url: str, hold_minutes: int):
        self.client = client
        self.refund_call_seconds = client.timeout or DEFAULT_TIMEOUTS["refund"]
        self._shop_name = shop_name
        self._confirm_url = confirm_url
        self._cancel_url = cancel_url
        self._hold_minutes = hold_minutes

    def start(self, order: Order, attempt: PaymentAttempt, now: datetime) -> Started:
        """Request payment (§3) with our OrderNo as orderId; the cancel URL names it (§4)."""
        request = PaymentRequest(
            order_id=attempt.order_no, amount=attempt.amount,
            packages=packages_for(order, self._shop_name), confirm_url=self._confirm_url,
            cancel_url=f"{self._cancel_url}?orderId={attempt.order_no}")
        answer = _call(self.client.request_payment, request)
        return Started(ts_no=str(answer.transaction_id), description=answer.return_message or "",
                       hold_until=now + timedelta(minutes=self._hold_minutes),
                       pay_url=answer.payment_url_web, pay_app_url=answer.payment_url_app)

    def confirm(self, attempt: PaymentAttempt) -> PaymentResult | None:
        """Confirm (§5) with the amount *we* hold; None while undecided (not approved yet, or
        no answer: `sync-payments` asks check later)."""
        try:
            answer = self.client.confirm(int(attempt.ts_no), attempt.amount)
        except LinePayRejectedError as error:
            if error.return_code in MAYBE_DONE:
                return self._completed(attempt)
            if error.return_code in DEAD:
                return self._failed(attempt, error.return_code)
            return None
        except LinePayError:
            return None
        # Σ payInfo is what LINE Pay took: decide() flags it if it isn't our amount.
        return PaymentResult(order_no=attempt.order_no, paid=True,
                             amount=answer.paid_amount if answer.pay_info else None,
                             ts_no=attempt.ts_no)

    def look_up(self, attempt: PaymentAttempt) -> Lookup:
        """Check (§6): paid → apply; approved → confirm (open attempts only); dead → void."""
        if attempt.ts_no is None:
            # The request's answer never came: no shopper has its payment URL, nothing to ask.
            return Lookup()
        answer = _call(self.client.check, int(attempt.ts_no))
        if answer.is_completed:
            return Lookup(self._paid(attempt))
        if answer.is_authorized and attempt.status == "open":
            return Lookup(self.confirm(attempt))
        if answer.is_final_failure:
            return Lookup(gone=True)
        return Lookup()

    def refund(self, attempt: PaymentAttempt, amount: int, remark: str | None) -> str:
        """Refund (§7) `amount` NT$; 1165 (refunded already) counts as done."""
        try:
            answer = self.client.refund(int(attempt.ts_no), amount)
        except LinePayRejectedError as error:
            if error.return_code == ALREADY_REFUNDED:
                return "LINE Pay：已退款（1165）"
            raise ProviderRefused(f"LINE Pay {error.return_code}: {error.message}") from None
        except LinePayError as error:
            raise ProviderUnavailable(str(error)) from None
        return f"LINE Pay 退款 {answer.refund_transaction_id}"

    def refunded(self, attempt: PaymentAttempt) -> int | None:
        """Our client has no payment-details call (§8): a lost refund answer is checked by hand.

        :raise ProviderUnavailable: always.
        """
        raise ProviderUnavailable("LINE Pay refund answer lost: check the merchant center")

    def _completed(self, attempt: PaymentAttempt) -> PaymentResult | None:
        try:
            answer = self.client.check(int(attempt.ts_no))
        except LinePayError:
            return None
        return self._paid(attempt) if answer.is_completed else None

    @staticmethod
    def _paid(attempt: PaymentAttempt) -> PaymentResult:
        return PaymentResult(order_no=attempt.order_no, paid=True, amount=None,
                             ts_no=attempt.ts_no)

    @staticmethod
    def _failed(attempt: PaymentAttempt, code: str) -> PaymentResult:
        return PaymentResult(order_no=attempt.order_no, paid=False, amount=None,
                             ts_no=attempt.ts_no, description=f"LINE Pay {code}")


def _call(method, *args):
    try:
        return method(*args)
    except LinePayRejectedError as error:
        raise ProviderRefused(f"LINE Pay {error.return_code}: {error.message}") from None
    except LinePayError as error:
        raise ProviderUnavailable(str(error)) from None
