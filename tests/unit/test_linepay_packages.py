"""The order's lines as LINE Pay packages: amounts add up to the order total, coupon included."""
from datetime import datetime, timezone

import pytest

from linepay.records import PaymentRequest
from models.records import Order, OrderLine
from providers.linepay import packages_for

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def order(discount: int) -> Order:
    lines = (OrderLine(1, "烏龍茶", 450, 2), OrderLine(2, "芒果乾", 30, 1))
    subtotal = sum(line.amount for line in lines)
    return Order(7, "U1", "pending", subtotal, discount, subtotal - discount, NOW, NOW, lines)


def test_without_a_discount_the_lines_go_as_they_are():
    (package,) = packages_for(order(0), "LINE 小舖")
    assert [(p.name, p.quantity, p.price) for p in package.products] == \
        [("烏龍茶", 2, 450), ("芒果乾", 1, 30)]
    assert package.amount == 930


@pytest.mark.parametrize("discount", [1, 30, 50, 929])
def test_the_coupon_comes_off_the_last_lines_and_the_sum_is_the_total(discount):
    placed = order(discount)
    packages = packages_for(placed, "LINE 小舖")
    # PaymentRequest refuses sums that don't add up or a negative price.
    request = PaymentRequest("000007PABCD", placed.total, packages, "https://s/c", "https://s/x")
    products = request.packages[0].products
    assert request.packages[0].amount == placed.total
    assert all(p.price >= 0 for p in products)
    assert sum(p.original_price or p.price * p.quantity for p in products) == 930
    body = request.to_body()["packages"][0]["products"]
    assert any("originalPrice" in p for p in body)
