"""Rules that need no database: when the bank says money arrived, how long LINE shows loading."""
import pytest

from handlers.line_client import loading_seconds
from sinopac.records import OrderQueryItem


def item(pay_status: str, pay_date: str | None) -> OrderQueryItem:
    return OrderQueryItem.from_message({"OrderNo": "A1", "TSNo": "T1", "Amount": 45000,
                                        "PayType": "A", "PayStatus": pay_status,
                                        "PayDate": pay_date})


@pytest.mark.parametrize("pay_status", ["1A400", "1C300", "1C400"])
def test_a_paid_pay_status_is_paid(pay_status):
    assert item(pay_status, "202611241200").is_paid


@pytest.mark.parametrize("pay_status", ["1A200", "1C200", "1C500", "9Z999"])
def test_a_pay_date_without_a_paid_status_is_not_paid(pay_status):
    assert not item(pay_status, "202611241200").is_paid


@pytest.mark.parametrize("wait, seconds", [(0, 5), (5, 5), (12, 15), (14.5, 15), (99, 60)])
def test_the_loading_animation_covers_the_wait_in_lines_steps(wait, seconds):
    assert loading_seconds(wait) == seconds
