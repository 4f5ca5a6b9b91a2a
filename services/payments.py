"""Paying an order through the bank, and applying what the bank says happened."""
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from db import orders, payments
from models.errors import BankRefused, BankUnavailable, OrderNotFound, OrderNotPayable
from models.events import PaymentStarted
from models.order import atm_deadline, card_deadline, check_order_total
from models.payment import PaymentDecision, decide, notice_for
from models.records import Order, PaymentAttempt, PaymentResult
from sinopac.errors import BankRejectedError, SinoPacError
from sinopac.records import ATMParam, CardParam, OrderCreateRequest

log = logging.getLogger(__name__)

SINOPAC_BANK_CODE = "807"


@dataclass(frozen=True)
class AppliedPayment:
    decision: PaymentDecision
    order: Order


@dataclass(frozen=True)
class PaymentSettings:
    shop_name: str
    return_url: str
    backend_url: str
    atm_expire_days: int
    card_hold_minutes: int


def start_payment(db, bank, conf: PaymentSettings, user_id: str, order_id: int, pay_type: str,
                  *, request_key: str | None = None,
                  now: datetime | None = None) -> PaymentAttempt:
    """Create the bank order for `order_id` (ATM 'A' or card 'C'); the shopper learns how to pay.

    Our attempt row is committed before the bank call, so a crash or timeout leaves a record
    the reconciler can settle; a retried request (same `request_key`, e.g. the LINE event's
    id) reuses the same OrderNo.
    :raise ShopError: not the shopper's order, not payable, or the bank failed.
    """
    now = now or datetime.now(timezone.utc)
    order, attempt = db.run(
        lambda uow: _prepare(uow.cur, user_id, order_id, pay_type, request_key, now))
    if attempt.status not in ("new", "error"):
        return attempt
    expire_date, atm_ends = atm_deadline(now, conf.atm_expire_days)
    request = OrderCreateRequest(
        OrderNo=attempt.order_no, Amount=attempt.amount, PayType=pay_type,
        PrdtName=_product_name(conf.shop_name, order.id),
        ReturnURL=conf.return_url, BackendURL=conf.backend_url,
        ATMParam=ATMParam(ExpireDate=expire_date) if pay_type == "A" else None,
        CardParam=CardParam(AutoBilling="Y", ExpMinutes=30) if pay_type == "C" else None,
        Param1=str(order.id))
    try:
        created = bank.order_create(request)
    except SinoPacError as error:
        reason = str(error)
        db.run(lambda uow: payments.mark_attempt_error(uow.cur, attempt.id, reason))
        log.warning("event=payment_create_failed order_no=%s error=%s",
                    attempt.order_no, type(error).__name__)
        if isinstance(error, BankRejectedError):
            raise BankRefused(order_id=order.id, reason=error.description or "") from None
        raise BankUnavailable(order_id=order.id) from None

    hold_until = atm_ends if pay_type == "A" else card_deadline(now, conf.card_hold_minutes)

    def record(uow):
        cur = uow.cur
        orders.get_order(cur, order.id, for_update=True)  # the order before its attempt
        recorded = payments.record_bank_order(
            cur, attempt.id, ts_no=created.TSNo,
            atm_bank_code=SINOPAC_BANK_CODE if pay_type == "A" else None,
            atm_pay_no=created.AtmPayNo, atm_expire_date=expire_date if pay_type == "A" else None,
            atm_web_url=created.WebAtmURL,
            card_url=created.CardPayURL, description=created.Description)
        if recorded.status != "open":
            raise OrderNotPayable(order_id=order.id, status="expired")
        orders.extend_hold(cur, order.id, hold_until)
        uow.record(PaymentStarted(user_id, order.id, recorded, hold_until,
                                  conf.card_hold_minutes))
        return recorded
    return db.run(record)


def _prepare(cur, user_id: str, order_id: int, pay_type: str, request_key: str | None,
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
    check_order_total(order.total, pay_type)
    attempt = payments.create_attempt(
        cur, order_id=order.id, order_no=new_order_no(order.id), pay_type=pay_type,
        amount=order.total, request_key=request_key)
    return order, attempt


def new_order_no(order_id: int) -> str:
    """The bank's OrderNo: unique per shop (sandbox shops are shared), ≤50 chars, no ' \" %."""
    return f"{order_id:06d}P{secrets.token_hex(4).upper()}"


def _product_name(shop_name: str, order_id: int) -> str:
    # §7.1: PrdtName ≤ 60 characters and free of ' " %.
    return re.sub(r"['\"%]", "", f"{shop_name} 訂單 #{order_id}")[:60]


def apply_payment_result(db, result: PaymentResult) -> AppliedPayment | None:
    """Apply one bank result exactly once: repeated, late or out-of-order notices change nothing more.

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


def result_from_pay_query(response) -> PaymentResult:
    """The payment result inside an OrderPayQuery answer (§8.2: decide on TSResultContent)."""
    content = response.TSResultContent
    return PaymentResult(order_no=content.OrderNo, paid=content.Status == "S",
                         amount=content.Amount, ts_no=content.TSNo,
                         description=content.Description or None, pay_date=content.PayDate)


def sync_payments(db, bank) -> dict[str, int]:
    """Ask the bank (OrderQuery) about every unsettled attempt and apply what it knows.

    Open attempts come first, newest first, and all of them are asked about on every run
    (paged, so old void ones never crowd out today's). Returns how many were checked, newly
    paid, and could not be asked.
    """
    counts = {"checked": 0, "paid": 0, "errors": 0}
    for still_open in (True, False):
        for attempt in _unsettled(db, still_open):
            _sync_one(db, bank, attempt, counts)
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


def _sync_one(db, bank, attempt: PaymentAttempt, counts: dict[str, int]) -> None:
    """OrderQuery for one attempt; apply it when the bank says it was paid."""
    try:
        answer = bank.order_query(order_no=attempt.order_no)
    except SinoPacError as error:
        counts["errors"] += 1
        log.warning("event=sync_query_failed order_no=%s error=%s", attempt.order_no,
                    type(error).__name__)
        return
    counts["checked"] += 1
    for item in answer.OrderList:
        if item.OrderNo == attempt.order_no and item.is_paid:
            applied = apply_payment_result(db, PaymentResult(
                order_no=item.OrderNo, paid=True, amount=item.Amount, ts_no=item.TSNo,
                pay_date=item.PayDate))
            if applied:
                counts["paid"] += applied.decision.attempt_status == "paid"
                return
