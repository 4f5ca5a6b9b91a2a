"""The shopper's browser back from a provider's page we confirm ourselves (LINE Pay, §4–§5 of
shared/refs/linepay.md): confirm our attempt with our amount, once; or note a cancel.

The confirm URL is the shopper's input: only an attempt whose OrderNo *and* transaction number
are both ours is confirmed, so a forged URL with someone else's transaction changes nothing.
"""
import logging
from dataclasses import dataclass

from db import orders, payments
from models.records import Order, PaymentAttempt
from providers import Providers
from providers.base import ConfirmingProvider, ProviderError
from services.payments import apply_payment_result

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Returned:
    attempt: PaymentAttempt | None   # None: no attempt of ours matches the URL
    order: Order | None


def confirm(db, providers: Providers, order_no: str, ts_no: str) -> Returned:
    """Confirm the attempt the URL names, if it is ours and still open; apply the result once.

    Opened twice, or raced by `sync-payments`, it still pays once: the provider refuses a
    second confirm (we then ask check) and apply_payment_result applies a result once (and
    tells the shopper).
    """
    with db.transaction() as cur:
        attempt = payments.find_attempt(cur, order_no, ts_no)
    provider = providers.for_attempt(attempt) if attempt else None
    if attempt is None or not isinstance(provider, ConfirmingProvider):
        log.warning("event=payment_confirm_unknown order_no=%s", order_no)
        return Returned(None, None)
    if attempt.status == "open":
        result = provider.confirm(attempt)
        if result:
            apply_payment_result(db, result)
    return _now(db, attempt)


def cancel(db, providers: Providers, order_no: str) -> Returned:
    """The shopper cancelled on the provider's page: the order stays payable; an attempt the
    provider calls cancelled becomes void, so any method may be chosen again."""
    with db.transaction() as cur:
        attempt = payments.get_attempt(cur, order_no)
    provider = providers.for_attempt(attempt) if attempt else None
    if attempt is None or not isinstance(provider, ConfirmingProvider):
        return Returned(None, None)
    try:
        if provider.look_up(attempt).gone:
            db.run(lambda uow: payments.void_attempt(uow.cur, attempt.id))
    except ProviderError as error:
        # sync-payments will ask again; the page still tells the shopper the order is payable.
        log.info("event=payment_cancel_check_failed order_no=%s error=%s", order_no,
                 type(error).__name__)
    return _now(db, attempt)


def _now(db, attempt: PaymentAttempt) -> Returned:
    with db.transaction() as cur:
        return Returned(payments.get_attempt(cur, attempt.order_no),
                        orders.get_order(cur, attempt.order_id))
