"""Giving money back on a paid order: through its provider (card, LINE Pay), or recording an
ATM-side transfer.

An online refund is committed 'pending' before the provider is called and settled in a second
transaction, so a timeout, a crash or a double click never sends the same refund twice: a
retry of a refund whose answer was lost asks the provider what it already refunded.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from db import audit, orders, payments
from db import refunds as refund_rows
from models.audit import ORDER_REFUNDED, Actor
from models.admin_errors import RefundInProgress, RefundRefused, RefundUnconfirmed
from models.errors import OrderNotFound
from models.events import OrderRefunded
from models.records import Order, PaymentAttempt, Refund
from models.refund import in_flight, paid_attempt, refund_amount, settle
from providers import Providers
from providers.base import PaymentProvider, ProviderRefused, ProviderUnavailable

log = logging.getLogger(__name__)

# Past the provider's longest refund call and this margin a pending refund is no longer in
# flight, and a retry may ask the provider what it refunded.
BANK_CALL_MARGIN_SECONDS = 5


@dataclass(frozen=True)
class RefundRequest:
    amount: object = None       # NT$; None gives back all that is left (checked by the rules)
    reason: str = ""
    restock: bool = False
    note: str | None = None     # an ATM-side transfer: how the owner sent the money
    request_key: str | None = None  # the form or Idempotency-Key that asked


@dataclass(frozen=True)
class RefundOutcome:
    refund: Refund
    restocked: int              # units back in stock


@dataclass(frozen=True)
class _Started:
    order: Order
    attempt: PaymentAttempt
    refund: Refund
    provider: PaymentProvider
    answer_lost: bool = False   # an earlier call's refund: ask what was refunded, don't refund


def refund(db, providers: Providers, order_id: int, request: RefundRequest, actor: Actor,
           now: datetime | None = None) -> RefundOutcome:
    """Give back `request.amount` (or all that is left) of a paid order, and tell the shopper.

    :raise OrderNotFound: no such order.
    :raise NotRefundable: unpaid, or refunded in full already.
    :raise InvalidRefundAmount: not a positive whole NT$, or more than what is left.
    :raise RefundInProgress: another refund of the order is at the bank right now.
    :raise RefundRefused: the provider said no (its reason); nothing was refunded.
    :raise RefundUnconfirmed: the provider didn't answer; the refund stays pending for a retry.
    """
    now = now or datetime.now(timezone.utc)
    started = db.run(lambda uow: _start(uow, providers, order_id, request, actor, now))
    if isinstance(started, RefundOutcome):
        return started
    if started.answer_lost:
        return _settle_from_bank(db, started, actor)
    try:
        description = started.provider.refund(started.attempt, started.refund.amount,
                                              started.refund.reason)
    except ProviderRefused as error:
        reason = error.reason
        db.run(lambda uow: refund_rows.finish_refund(uow.cur, started.refund.id, "failed",
                                                     reason))
        log.info("event=refund_refused order_id=%s refund_id=%s", order_id, started.refund.id)
        raise RefundRefused(f"銀行拒絕退款：{reason}") from None
    except ProviderUnavailable as error:
        # Timeout, lost connection or an unverifiable reply: the provider may have refunded.
        log.warning("event=refund_answer_lost order_id=%s refund_id=%s error=%s", order_id,
                    started.refund.id, type(error).__name__)
        lost = str(error)
        db.run(lambda uow: refund_rows.end_bank_call(uow.cur, started.refund.id, lost))
        return _settle_from_bank(db, started, actor)
    return db.run(lambda uow: _finish(uow, order_id, started.refund.id, description, actor))


def _start(uow, providers: Providers, order_id: int, request: RefundRequest, actor: Actor,
           now: datetime) -> RefundOutcome | _Started:
    """Lock the order (refunds of one order take turns), check the amount, record the refund."""
    cur = uow.cur
    order = orders.get_order(cur, order_id, for_update=True)
    if order is None:
        raise OrderNotFound()
    attempt = paid_attempt(payments.list_attempts_for_order(cur, order_id))
    provider = providers.for_attempt(attempt) if attempt else None
    if attempt and provider is None:
        raise RefundRefused("這筆付款的付款方式已停用，請到該金流的商家後台退款。")
    earlier = refund_rows.find_open(cur, order_id, request.request_key)
    if earlier is not None:
        if earlier.status == "pending" and in_flight(earlier, now):
            raise RefundInProgress()
        if earlier.status == "done":
            return RefundOutcome(earlier, 0)
        if earlier.status == "failed":
            raise RefundRefused(f"銀行拒絕退款：{earlier.bank_description or ''}")
        return _Started(order, attempt, earlier, provider, answer_lost=True)
    amount = refund_amount(attempt, refund_rows.list_refunds(cur, order_id), request.amount)
    online = provider.refunds_online
    window = provider.refund_call_seconds + BANK_CALL_MARGIN_SECONDS
    created = refund_rows.create_refund(
        cur, order_id=order_id, attempt_id=attempt.id, amount=amount,
        method=provider.refund_method, status="pending" if online else "done",
        reason=request.reason.strip()[:500], note=(request.note or "").strip()[:500] or None,
        restock=request.restock, bank_call_seconds=window if online else None,
        created_by=actor.admin_id, request_key=request.request_key)
    if online:
        return _Started(order, attempt, created, provider)
    # An ATM payment went back by a transfer the owner made: nothing to ask the bank.
    return _settled(uow, order, created, actor)


def _settle_from_bank(db, started: _Started, actor: Actor) -> RefundOutcome:
    """Settle a pending refund from what the provider says was refunded; never refund again.

    :raise RefundUnconfirmed: the provider didn't answer, or its figures don't add up.
    :raise RefundRefused: the provider has no such refund (it was marked failed).
    """
    order_no = started.attempt.order_no
    try:
        bank_refunded = started.provider.refunded(started.attempt)
    except ProviderUnavailable as error:
        log.warning("event=refund_query_failed order_no=%s error=%s", order_no,
                    type(error).__name__)
        raise RefundUnconfirmed() from None

    def work(uow):
        cur = uow.cur
        orders.get_order(cur, started.order.id, for_update=True)
        given_back = refund_rows.list_refunds(cur, started.order.id)
        current = next(r for r in given_back if r.id == started.refund.id)
        if current.status == "done":
            return RefundOutcome(current, 0)   # a retry settled it meanwhile
        done_before = sum(r.amount for r in given_back
                          if r.status == "done" and r.attempt_id == started.attempt.id)
        verdict = "failed" if current.status == "failed" else \
            settle(done_before, current, bank_refunded)
        if verdict == "done":
            return _finish(uow, started.order.id, current.id, "銀行已退款（OrderQuery 確認）",
                           actor)
        if verdict == "failed":
            refund_rows.finish_refund(cur, current.id, "failed", "銀行查無此筆退款（OrderQuery）")
            return "failed"
        orders.flag_order(cur, started.order.id, f"退款待確認：銀行已退 NT${bank_refunded or 0}，"
                                                 f"本店紀錄 NT${done_before + current.amount}")
        return "unclear"
    settled = db.run(work)
    log.info("event=refund_settled_from_query order_no=%s result=%s", order_no,
             settled.refund.status if isinstance(settled, RefundOutcome) else settled)
    if settled == "failed":
        raise RefundRefused("銀行沒有收到這筆退款，已標記失敗，沒有退任何款項；可以重新送出。")
    if settled == "unclear":
        raise RefundUnconfirmed("銀行的退款金額與本店紀錄不符，訂單已標記，請向銀行確認。")
    return settled


def _finish(uow, order_id: int, refund_id: int, description: str | None,
            actor: Actor) -> RefundOutcome:
    """The provider took the refund: mark it done, restock if asked, tell the shopper."""
    cur = uow.cur
    order = orders.get_order(cur, order_id, for_update=True)
    settled_now = refund_rows.finish_refund(cur, refund_id, "done", description)
    done = next(r for r in refund_rows.list_refunds(cur, order_id) if r.id == refund_id)
    if not settled_now:
        if done.status != "done":
            orders.flag_order(cur, order_id, f"銀行已退款 NT${done.amount}，但本店紀錄為失敗")
        return RefundOutcome(done, 0)   # a retry settled it first
    return _settled(uow, order, done, actor)


def _settled(uow, order: Order, done: Refund, actor: Actor) -> RefundOutcome:
    """What follows a refund that went through: the stock back (once), the audit row, the shopper told."""
    cur = uow.cur
    restocked = refund_rows.restock(cur, order.id) if done.restock else 0
    refunded = sum(r.amount for r in refund_rows.list_refunds(cur, order.id) if r.status == "done")
    audit.record(cur, actor, ORDER_REFUNDED, "order", order.id,
                 {"refunded": refunded - done.amount},
                 {"refunded": refunded, "refund_id": done.id, "method": done.method,
                  "reason": done.reason, "restocked_units": restocked})
    log.info("event=refund_done order_id=%s refund_id=%s amount=%s method=%s restocked=%s",
             order.id, done.id, done.amount, done.method, restocked)
    uow.record(OrderRefunded(order.user_id, order.id, done))
    return RefundOutcome(done, restocked)
