"""Paying an order through a provider, and applying what the provider says happened."""
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from db import orders, payments
from models.errors import BankRefused, BankUnavailable, OrderNotFound, OrderNotPayable
from models.events import PaymentStarted
from models.order import check_order_total
from models.payment import PaymentDecision, decide, notice_for
from models.records import Order, PaymentAttempt, PaymentResult, PayMethod
from providers import Providers
from providers.base import PaymentProvider, ProviderError, ProviderRefused

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppliedPayment:
    decision: PaymentDecision
    order: Order


@dataclass(frozen=True)
class PaymentSettings:
    card_hold_minutes: int


def start_payment(db, provider: PaymentProvider, conf: PaymentSettings, user_id: str,
                  order_id: int, *, request_key: str | None = None,
                  now: datetime | None = None) -> PaymentAttempt:
    """Create the provider's payment for `order_id`; the shopper learns how to pay.

    Our attempt row is committed before the provider call, so a crash or timeout leaves a
    record the reconciler can settle; a retried request (same `request_key`, e.g. the LINE
    event's id) reuses the same OrderNo.
    :raise ShopError: not the shopper's order, not payable, or the provider failed.
    """
    now = now or datetime.now(timezone.utc)
    method = provider.method
    order, attempt = db.run(
        lambda uow: _prepare(uow.cur, user_id, order_id, method, request_key, now))
    if attempt.status not in ("new", "error"):
        return attempt
    try:
        started = provider.start(order, attempt, now)
    except ProviderError as error:
        reason = str(error)
        db.run(lambda uow: payments.mark_attempt_error(uow.cur, attempt.id, reason))
        log.warning("event=payment_create_failed order_no=%s error=%s",
                    attempt.order_no, type(error).__name__)
        if isinstance(error, ProviderRefused):
            raise BankRefused(order_id=order.id, reason=error.reason) from None
        raise BankUnavailable(order_id=order.id) from None

    def record(uow):
        cur = uow.cur
        orders.get_order(cur, order.id, for_update=True)  # the order before its attempt
        recorded = payments.record_bank_order(
            cur, attempt.id, ts_no=started.ts_no, atm_bank_code=started.atm_bank_code,
            atm_pay_no=started.atm_pay_no, atm_expire_date=started.atm_expire_date,
            atm_web_url=started.atm_web_url, card_url=started.card_url,
            description=started.description, pay_url=started.pay_url,
            pay_app_url=started.pay_app_url)
        if recorded.status != "open":
            raise OrderNotPayable(order_id=order.id, status="expired")
        orders.extend_hold(cur, order.id, started.hold_until)
        uow.record(PaymentStarted(user_id, order.id, recorded, started.hold_until,
                                  conf.card_hold_minutes))
        return recorded
    return db.run(record)


def _prepare(cur, user_id: str, order_id: int, method: PayMethod, request_key: str | None,
             now: datetime) -> tuple[Order, PaymentAttempt]:
    order = orders.get_order(cur, order_id, for_update=True)
    if order is None or order.user_id != user_id:
        raise OrderNotFound()
    if request_key:
        earlier = payments.get_attempt_for_request(cur, request_key)
        if earlier is not None:
            return order, earlier
    if order.status != "pending" or order.expires_at <= now:
        status = order.status if order.status != "pending" else "expired"
        raise OrderNotPayable(order_id=order.id, status=status)
    check_order_total(order.total, method)
    attempt = payments.create_attempt(
        cur, order_id=order.id, order_no=new_order_no(order.id), pay_type=method.pay_type,
        amount=order.total, request_key=request_key)
    return order, attempt


def new_order_no(order_id: int) -> str:
    """The provider's order number (SinoPac OrderNo, LINE Pay orderId): unique per shop
    (sandbox shops are shared), ≤50 chars, no ' \" %."""
    return f"{order_id:06d}P{secrets.token_hex(4).upper()}"


def apply_payment_result(db, result: PaymentResult) -> AppliedPayment | None:
    """Apply one provider result exactly once: repeated, late or out-of-order results change
    nothing more.

    Returns what was decided, or None for an OrderNo that isn't ours; the shopper is told.
    """
    def work(uow):
        cur = uow.cur
        order_id = payments.order_id_for(cur, result.order_no)
        if order_id is None:
            log.warning("event=payment_unknown_order_no order_no=%s", result.order_no)
            return None
        # Lock the order, then its attempt: the order expiry and checkout take them in, so two
        # of them never wait on each other.
        order = orders.get_order(cur, order_id, for_update=True)
        found = payments.lock_attempt(cur, result.order_no)
        decision = decide(found, order.status, result)
        if decision.attempt_status:
            payments.set_attempt_result(cur, found.id, status=decision.attempt_status,
                                        ts_no=result.ts_no, description=result.description,
                                        pay_date=result.pay_date)
        if decision.order_paid:
            orders.mark_paid(cur, order.id)
        if decision.flag:
            orders.flag_order(cur, order.id, decision.flag)
        if decision.notify:
            uow.record(notice_for(decision, order, found, result))
        log.info("event=payment_applied order_no=%s paid=%s attempt_status=%s flag=%s",
                 result.order_no, result.paid, decision.attempt_status, bool(decision.flag))
        return AppliedPayment(decision, order)
    return db.run(work)


def sync_payments(db, providers: Providers) -> dict[str, int]:
    """Ask each attempt's provider about every unsettled attempt and apply what it knows.

    Open attempts come first, newest first, and all of them are asked about on every run
    (paged, so old void ones never crowd out today's). Returns how many were checked, newly
    paid, and could not be asked.
    """
    counts = {"checked": 0, "paid": 0, "errors": 0}
    for still_open in (True, False):
        for attempt in _unsettled(db, still_open):
            provider = providers.for_attempt(attempt)
            if provider is not None:
                _sync_one(db, provider, attempt, counts)
    return counts


def _unsettled(db, still_open: bool):
    """Every unsettled attempt of one kind, a page (one short read) at a time."""
    before_id = None
    while True:
        with db.transaction() as cur:
            page = payments.list_unsettled_attempts(cur, still_open=still_open,
                                                    before_id=before_id)
        yield from page
        if not page:
            return
        before_id = page[-1].id


def _sync_one(db, provider: PaymentProvider, attempt: PaymentAttempt,
              counts: dict[str, int]) -> None:
    """Ask the provider about one attempt; apply a result, or void an attempt that is gone."""
    try:
        found = provider.look_up(attempt)
    except ProviderError as error:
        counts["errors"] += 1
        log.warning("event=sync_query_failed order_no=%s error=%s", attempt.order_no,
                    type(error).__name__)
        return
    counts["checked"] += 1
    if found.gone:
        db.run(lambda uow: payments.void_attempt(uow.cur, attempt.id))
    applied = apply_payment_result(db, found.result) if found.result else None
    if applied:
        counts["paid"] += applied.decision.attempt_status == "paid"
