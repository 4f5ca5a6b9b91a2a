"""Bank notices: store a PayToken at once, confirm it with the bank later (issue 13 item 10).

Our ShopNo is public, so anyone can post a notice. Taking it costs one INSERT; the bank is
asked (OrderPayQuery) only by the workers, once per stored token, never in a web thread that
also answers LINE, and the LINE push never delays the bank's answer.
"""
import logging
import re
import time

from db import bank_notices, orders
from models.records import Order
from providers import Providers
from services import payments
from sinopac.errors import BankConnectionError, SinoPacError

log = logging.getLogger(__name__)

# §8.1 / §12: a PayToken is 64 lowercase hex characters.
PAY_TOKEN = re.compile(r"[0-9a-f]{64}")
MAX_ATTEMPTS = 5
WAIT_STEP_SECONDS = 0.1


def is_pay_token(value) -> bool:
    """True for a value of the bank's PayToken form; anything else is refused unasked."""
    return isinstance(value, str) and PAY_TOKEN.fullmatch(value) is not None


def receive(db, pay_token: str) -> bool:
    """Store a notice; False when the token was stored before."""
    with db.statement() as cur:
        return bank_notices.store(cur, pay_token)


def work_pending(db, providers: Providers, *, limit: int = 10, pay_token: str | None = None,
                 within: float | None = None) -> int:
    """Confirm stored notices (or just `pay_token`) with the bank; returns how many were tried.

    `within` bounds each bank call in seconds (the shopper's return page waits on it).
    """
    with db.statement() as cur:
        claimed = bank_notices.claim(cur, limit=limit, pay_token=pay_token)
    for row in claimed:
        _confirm(db, providers, row["pay_token"], row["attempts"], within)
    return len(claimed)


def _confirm(db, providers: Providers, pay_token: str, attempts: int,
             within: float | None) -> None:
    try:
        result = providers.sinopac.settle_notice(pay_token, within=within)
        applied = payments.apply_payment_result(db, result)
    except SinoPacError as error:
        # An unknown (forged) token or a result whose Sign fails is hopeless; an unreachable
        # bank is asked again later, a few times.
        give_up = not isinstance(error, BankConnectionError) or attempts >= MAX_ATTEMPTS
        log.warning("event=bank_notice_failed error=%s attempts=%s give_up=%s",
                    type(error).__name__, attempts, give_up)
        with db.statement() as cur:
            bank_notices.mark_failed(cur, pay_token, type(error).__name__, give_up=give_up,
                                     retry_in_seconds=min(300, 5 * 2 ** attempts))
        return
    with db.statement() as cur:
        bank_notices.mark_done(cur, pay_token, applied.order.id if applied else None)


def confirm_for_shopper(db, providers: Providers, pay_token: str,
                        within: float) -> tuple[str | None, Order | None]:
    """Confirm one notice for the shopper's return page, waiting at most about `within` s
    (also for a worker that took it first); returns what `order_for` says then."""
    deadline = time.monotonic() + within
    work_pending(db, providers, pay_token=pay_token, within=within)
    status, order = order_for(db, pay_token)
    while status == "pending" and time.monotonic() < deadline:
        time.sleep(WAIT_STEP_SECONDS)
        status, order = order_for(db, pay_token)
    return status, order


def order_for(db, pay_token: str) -> tuple[str | None, Order | None]:
    """The notice's status ('pending', 'done', 'dead' or None) and its order once known."""
    with db.transaction() as cur:
        notice = bank_notices.get_notice(cur, pay_token)
        if notice is None:
            return None, None
        order = orders.get_order(cur, notice["order_id"]) if notice["order_id"] else None
        return notice["status"], order
