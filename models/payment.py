"""Payment rules: what one bank result does to an attempt and its order."""
from dataclasses import dataclass

from models import events
from models.records import Order, PaymentAttempt, PaymentResult


@dataclass(frozen=True)
class PaymentDecision:
    attempt_status: str | None   # new status for the attempt, None = leave it
    order_paid: bool = False     # move the order from pending to paid
    flag: str | None = None      # a note for the shop owner
    notify: type[events.PaymentNotice] | None = None  # what the shopper is told


def decide(attempt: PaymentAttempt, order_status: str, result: PaymentResult) -> PaymentDecision:
    """Apply a bank result at most once; a repeated or older notice changes nothing."""
    if attempt.status == "paid":
        return PaymentDecision(None)
    if result.amount is not None and result.amount != attempt.amount:
        return PaymentDecision(None, flag=f"金額不符：銀行 {result.amount} / 訂單 {attempt.amount}"
                                         f"（{attempt.order_no}）")
    if not result.paid:
        if attempt.status == "failed":
            return PaymentDecision(None)
        tell = order_status == "pending" and attempt.status != "void"
        notify = events.PaymentFailed if tell else None
        return PaymentDecision("failed", notify=notify)
    if order_status == "pending":
        return PaymentDecision("paid", order_paid=True, notify=events.PaymentReceived)
    if order_status in ("paid", "shipped"):
        return PaymentDecision("paid", flag=f"重複付款，請退款（{attempt.order_no}）",
                               notify=events.PaidTwice)
    return PaymentDecision("paid", flag=f"訂單{'逾期' if order_status == 'expired' else '取消'}後收到付款"
                                        f"（{attempt.order_no}）",
                           notify=events.PaidAfterClose)


def notice_for(decision: PaymentDecision, order: Order, attempt: PaymentAttempt,
               result: PaymentResult) -> events.PaymentNotice:
    """The shopper's notice for a decision that has one."""
    return decision.notify(order.user_id, order.id, attempt.amount, result.description)
