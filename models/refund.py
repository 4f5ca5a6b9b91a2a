"""Refund rules: what is left to give back, which requests to refuse, what the bank says."""
from dataclasses import dataclass
from datetime import datetime

from models.admin_errors import InvalidRefundAmount, NotRefundable
from models.records import PaymentAttempt, Refund

# How each way of paying is given back (the back office shows it): a card through the bank,
# LINE Pay through LINE Pay, an ATM payment by a transfer the owner makes (QPay can't refund
# ATM payments online: E0303). The providers (providers/) carry the same as refund_method.
METHODS = {"C": "card", "A": "atm_transfer", "L": "linepay"}


@dataclass(frozen=True)
class RefundTotals:
    paid: int
    refunded: int

    @property
    def left(self) -> int:
        return self.paid - self.refunded

    @property
    def state(self) -> str:
        """'none', 'partial' or 'full': what the order page and the API show."""
        if self.refunded == 0:
            return "none"
        return "full" if self.left <= 0 else "partial"


def paid_attempt(attempts: list[PaymentAttempt]) -> PaymentAttempt | None:
    """The payment refunds go back to: the first paid attempt, the one that paid the order."""
    return next((a for a in attempts if a.status == "paid"), None)


def totals(attempt: PaymentAttempt | None, refunds: list[Refund]) -> RefundTotals:
    """Paid and refunded NT$ (refunds the bank took, or transfers the owner made)."""
    return RefundTotals(paid=attempt.amount if attempt else 0,
                        refunded=sum(r.amount for r in refunds if r.status == "done"))


def refund_amount(attempt: PaymentAttempt | None, refunds: list[Refund], requested) -> int:
    """The NT$ to give back: `requested`, or all that is left when it is None.

    A pending refund counts as given: two refunds together never exceed what was paid.
    :raise NotRefundable: nothing was paid, or all of it went back already.
    :raise InvalidRefundAmount: not a positive whole number, or more than what is left.
    """
    if attempt is None:
        raise NotRefundable("這筆訂單尚未付款，無法退款。")
    left = attempt.amount - sum(r.amount for r in refunds if r.status in ("done", "pending"))
    if left <= 0:
        raise NotRefundable("這筆訂單已全額退款。")
    if requested is None:
        return left
    if type(requested) is not int or requested <= 0:
        raise InvalidRefundAmount()
    if requested > left:
        raise InvalidRefundAmount(f"退款金額超過可退金額：最多可退 NT${left}。")
    return requested


def in_flight(refund: Refund, now: datetime) -> bool:
    """A pending refund whose bank call may still be under way (another click must wait)."""
    return refund.bank_call_until is not None and refund.bank_call_until > now


def settle(done_before: int, pending: Refund, bank_refunded: int | None) -> str | None:
    """What OrderQuery's RefundAmount says about a pending refund whose answer was lost.

    `done_before` is what our own done refunds of that payment add up to. 'done' when the
    bank's total covers the pending one too, 'failed' when the bank still has only what we
    had, None when the figures don't add up (left pending, for the owner to look at).
    """
    refunded = bank_refunded or 0
    if refunded >= done_before + pending.amount:
        return "done"
    if refunded == done_before:
        return "failed"
    return None
