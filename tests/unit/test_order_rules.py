"""models/order.py: totals with the coupon, and how long stock is held."""
from datetime import datetime, timedelta, timezone

import pytest

from models.order import TAIPEI, Totals, atm_deadline, card_deadline, coupon_usable, order_totals
from models.records import CartLine, Coupon

NOW = datetime(2026, 5, 1, 4, 0, tzinfo=timezone.utc)  # 12:00 in Taipei


def line(price: int, quantity: int) -> CartLine:
    return CartLine(product_id=price, name="茶", price=price, quantity=quantity, stock=99)


def coupon(kind="amount", value=50, min_spend=300, **overrides) -> Coupon:
    return Coupon(**{"id": 1, "code": "F1", "kind": kind, "value": value, "min_spend": min_spend,
                     "expires_at": NOW + timedelta(days=1), **overrides})


@pytest.mark.parametrize("lines, held, expected", [
    ([], None, Totals(0, 0, 0)),
    ([line(100, 2), line(50, 1)], None, Totals(250, 0, 250)),
    ([line(100, 3)], coupon(), Totals(300, 50, 250)),                           # at the minimum
    ([line(100, 2)], coupon(), Totals(200, 0, 200, spend_more=100)),            # below it
    ([line(100, 5)], coupon("percent", 10), Totals(500, 50, 450)),
    ([line(333, 1)], coupon("percent", 15, 0), Totals(333, 49, 284)),           # rounds down
    ([line(30, 1)], coupon("amount", 50, 0), Totals(30, 29, 1)),                # never free
    ([line(100, 5)], coupon(used_at=NOW), Totals(500, 0, 500)),                 # spent
    ([line(100, 5)], coupon(expires_at=NOW), Totals(500, 0, 500)),              # expired
    ([line(100, 1)], coupon(expires_at=NOW), Totals(100, 0, 100)),              # nothing to say
])
def test_totals_apply_the_coupon_only_when_it_is_valid_and_covered(lines, held, expected):
    assert order_totals(lines, held, NOW) == expected


@pytest.mark.parametrize("held, usable", [
    (None, False), (coupon(), True), (coupon(used_at=NOW), False),
    (coupon(expires_at=NOW), False), (coupon(expires_at=NOW + timedelta(seconds=1)), True),
])
def test_a_coupon_is_usable_until_it_is_spent_or_expires(held, usable):
    assert coupon_usable(held, NOW) is usable


@pytest.mark.parametrize("now, days, expire_date", [
    (NOW, 1, "20260502"),
    (datetime(2026, 4, 30, 17, 0, tzinfo=timezone.utc), 1, "20260502"),  # already May 1 in Taipei
    (NOW, 3, "20260504"),
])
def test_the_atm_deadline_is_the_end_of_a_taipei_day(now, days, expire_date):
    date, ends = atm_deadline(now, days)
    assert date == expire_date
    assert ends.astimezone(TAIPEI).strftime("%Y%m%d %H:%M:%S") == f"{expire_date} 23:59:59"


def test_a_card_hold_lasts_its_minutes():
    assert card_deadline(NOW, 40) == NOW + timedelta(minutes=40)
