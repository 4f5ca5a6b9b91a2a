"""Refund rules: what is left to give back, what is refused, and how OrderQuery settles a refund."""
from datetime import datetime, timedelta, timezone

import pytest

from models.admin_errors import InvalidRefundAmount, NotRefundable
from models.records import PaymentAttempt, Refund
from models.refund import in_flight, paid_attempt, refund_amount, settle, totals

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
PAID = PaymentAttempt(id=2, order_no="000001PAB", order_id=1, pay_type="C", amount=1000,
                      status="paid")


def given(amount, status="done", **fields) -> Refund:
    return Refund(id=1, order_id=1, attempt_id=2, amount=amount, method="card", status=status,
                  reason="", created_at=NOW, **fields)


def test_the_paid_attempt_is_the_first_one_the_bank_settled():
    void = PaymentAttempt(id=1, order_no="000001PAA", order_id=1, pay_type="A", amount=1000,
                          status="void")
    assert paid_attempt([void, PAID]) == PAID
    assert paid_attempt([void]) is None


def test_refunded_counts_only_what_went_through():
    money = totals(PAID, [given(300), given(200, "failed"), given(100, "pending")])
    assert (money.paid, money.refunded, money.left, money.state) == (1000, 300, 700, "partial")
    assert totals(PAID, []).state == "none"
    assert totals(PAID, [given(1000)]).state == "full"
    assert totals(None, []).paid == 0


def test_no_amount_gives_back_all_that_is_left():
    assert refund_amount(PAID, [given(300), given(50, "failed")], None) == 700


@pytest.mark.parametrize("requested", [0, -1, 1.5, 300.0, "300", True, [300]])
def test_an_amount_must_be_a_positive_whole_number(requested):
    with pytest.raises(InvalidRefundAmount):
        refund_amount(PAID, [], requested)


def test_more_than_what_is_left_is_refused_and_a_pending_refund_counts_as_given():
    assert refund_amount(PAID, [given(300)], 700) == 700
    with pytest.raises(InvalidRefundAmount, match="最多可退 NT\\$600"):
        refund_amount(PAID, [given(300), given(100, "pending")], 601)


def test_an_unpaid_or_fully_refunded_order_is_not_refundable():
    with pytest.raises(NotRefundable, match="尚未付款"):
        refund_amount(None, [], 100)
    with pytest.raises(NotRefundable, match="已全額退款"):
        refund_amount(PAID, [given(600), given(400)], None)


def test_a_refund_is_in_flight_until_its_bank_call_deadline():
    assert in_flight(given(100, "pending", bank_call_until=NOW + timedelta(seconds=1)), NOW)
    assert not in_flight(given(100, "pending", bank_call_until=NOW), NOW)
    assert not in_flight(given(100, "pending"), NOW)


@pytest.mark.parametrize("bank_refunded, verdict", [
    (500, "done"),      # the bank has our 200 and the pending 300
    (600, "done"),      # more than ours: it took this one, and someone refunded in its portal
    (200, "failed"),    # only what we had: the pending one never reached the bank
    (None, None),       # no refund field and 200 of ours done: it doesn't add up
    (350, None),
])
def test_order_query_settles_a_pending_refund(bank_refunded, verdict):
    assert settle(200, given(300, "pending"), bank_refunded) == verdict


def test_order_query_with_nothing_refunded_fails_the_first_refund():
    assert settle(0, given(300, "pending"), None) == "failed"
    assert settle(0, given(300, "pending"), 0) == "failed"
