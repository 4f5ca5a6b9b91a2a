"""models/payment.py: what one bank result does to an attempt and its order, at most once."""
import pytest

from models import events
from models.payment import decide, notice_for
from models.records import Order, PaymentAttempt, PaymentResult


def attempt(status="open", amount=450) -> PaymentAttempt:
    return PaymentAttempt(id=1, order_no="000001PAB", order_id=1, pay_type="A", amount=amount,
                          status=status)


def paid(amount=450) -> PaymentResult:
    return PaymentResult(order_no="000001PAB", paid=True, amount=amount)


def failed() -> PaymentResult:
    return PaymentResult(order_no="000001PAB", paid=False, amount=450, description="逾時")


@pytest.mark.parametrize("attempt_status, order_status, result, status, order_paid, flagged, notify", [
    ("open", "pending", paid(), "paid", True, False, events.PaymentReceived),
    ("paid", "paid", paid(), None, False, False, None),                 # repeated notice
    ("open", "paid", paid(), "paid", False, True, events.PaidTwice),    # a second attempt paid
    ("open", "shipped", paid(), "paid", False, True, events.PaidTwice),
    ("open", "expired", paid(), "paid", False, True, events.PaidAfterClose),
    ("void", "cancelled", paid(), "paid", False, True, events.PaidAfterClose),
    ("open", "pending", paid(amount=1), None, False, True, None),       # wrong amount
    ("open", "pending", failed(), "failed", False, False, events.PaymentFailed),
    ("failed", "pending", failed(), None, False, False, None),          # repeated failure
    ("void", "pending", failed(), "failed", False, False, None),        # nobody to tell
    ("paid", "paid", failed(), None, False, False, None),               # older notice after paid
])
def test_a_bank_result_moves_things_once(attempt_status, order_status, result, status,
                                         order_paid, flagged, notify):
    decision = decide(attempt(attempt_status), order_status, result)
    assert (decision.attempt_status, decision.order_paid, bool(decision.flag), decision.notify) \
        == (status, order_paid, flagged, notify)


def test_the_notice_names_the_shopper_the_order_and_the_amount():
    order = Order(id=1, user_id="U1", status="pending", subtotal=450, discount=0, total=450,
                  expires_at=None, created_at=None)
    decision = decide(attempt(), "pending", failed())
    assert notice_for(decision, order, attempt(), failed()) == events.PaymentFailed(
        "U1", 1, 450, "逾時")
