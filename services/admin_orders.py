"""The shop owner's view of orders: finding them and reading one (cancelling: services/orders.py)."""
from dataclasses import dataclass, field
from datetime import datetime

from db import orders, payments, refunds, shoppers
from models.errors import OrderNotFound
from models.records import Order, PaymentAttempt, Refund
from models.refund import METHODS, RefundTotals, paid_attempt, totals

PAGE_SIZE = 50


@dataclass(frozen=True)
class OrderFilter:
    status: str | None = None
    created_from: object = None  # aware datetimes (start of a Taipei day) or None
    created_to: object = None
    search: str | None = None
    page: int = 1


@dataclass(frozen=True)
class OrderDetail:
    order: Order
    display_name: str | None
    attempts: list[PaymentAttempt]
    refunds: list[Refund] = field(default_factory=list)
    money: RefundTotals = RefundTotals(paid=0, refunded=0)
    restocked_at: datetime | None = None

    @property
    def refund_method(self) -> str | None:
        """How a refund of this order goes back: 'card', 'linepay', 'atm_transfer', or None."""
        attempt = paid_attempt(self.attempts)
        return METHODS[attempt.pay_type] if attempt else None


def find(db, where: OrderFilter) -> tuple[list[dict], int]:
    """One page of matching orders (flagged first, then newest) and how many match in all."""
    with db.transaction() as cur:
        rows = orders.search_orders(
            cur, status=where.status, created_from=where.created_from,
            created_to=where.created_to, search=where.search, limit=PAGE_SIZE,
            offset=(where.page - 1) * PAGE_SIZE)
    return rows, rows[0]["total_count"] if rows else 0


def detail(db, order_id: int) -> OrderDetail:
    """An order with its snapshot lines, shopper name, payment attempts and refunds.

    :raise OrderNotFound: no such order.
    """
    with db.transaction() as cur:
        order = orders.get_order(cur, order_id)
        if order is None:
            raise OrderNotFound()
        attempts = payments.list_attempts_for_order(cur, order_id)
        given_back = refunds.list_refunds(cur, order_id)
        return OrderDetail(order, shoppers.get_display_name(cur, order.user_id), attempts,
                           given_back, totals(paid_attempt(attempts), given_back),
                           refunds.restocked_at(cur, order_id))
