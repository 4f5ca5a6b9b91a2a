"""Figures for the back-office dashboard."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from db import orders, products
from db import reports as report_queries
from models.order import TAIPEI
from models.records import Product
from models.shipping_list import shipping_csv
from services.admin_orders import OrderFilter


BEST_SELLERS = 5


@dataclass(frozen=True)
class Period:
    """What the last `days` days brought: the funnel, best sellers, revenue per method, refunds."""

    carts: int
    orders: int
    paid: int
    best_sellers: list[dict]  # product_id, name, units, amount
    revenue_by_method: dict[str, int]  # 'A' ATM, 'C' card -> NT$, both always present
    refunds: int
    refunded: int  # NT$


@dataclass(frozen=True)
class Dashboard:
    today: date
    orders_today: int
    revenue_today: int
    revenue_by_day: list[tuple[date, int]]  # oldest first, one entry per day, zeros included
    low_stock: list[Product]
    period: Period


def taipei_day_start(day: date) -> datetime:
    """Midnight of a Taipei calendar day, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=TAIPEI)


def dashboard(db, low_stock_threshold: int, now: datetime | None = None,
              days: int = 30) -> Dashboard:
    """Today's orders and revenue (Asia/Taipei day), revenue per day for `days` days, low stock,
    and the period's funnel, best sellers, revenue per payment method and refunds.

    Revenue counts paid and shipped orders on the day they were paid.
    """
    now = now or datetime.now(timezone.utc)
    today = now.astimezone(TAIPEI).date()
    first = today - timedelta(days=days - 1)
    with db.transaction() as cur:
        sales = orders.sales_between(cur, taipei_day_start(today),
                                     taipei_day_start(today + timedelta(days=1)))
        per_day = {row["day"]: row["revenue"]
                   for row in orders.revenue_per_day(cur, taipei_day_start(first))}
        low = products.list_low_stock(cur, low_stock_threshold)
        period = _period(cur, taipei_day_start(first))
    series = [(first + timedelta(days=n), per_day.get(first + timedelta(days=n), 0))
              for n in range(days)]
    return Dashboard(today, sales["orders"], sales["revenue"], series, low, period)


def _period(cur, since: datetime) -> Period:
    funnel = report_queries.funnel(cur, since)
    by_method = {"A": 0, "C": 0}
    by_method.update({row["pay_type"]: row["revenue"]
                      for row in report_queries.revenue_by_method(cur, since)})
    refunds = report_queries.refunds_since(cur, since)
    return Period(funnel["carts"], funnel["orders"], funnel["paid"],
                  report_queries.best_sellers(cur, since, BEST_SELLERS), by_method,
                  refunds["refunds"], refunds["amount"])


def shipping_list(db, where: OrderFilter) -> str:
    """The shipping list CSV of every order the filter matches (all pages, oldest first)."""
    with db.transaction() as cur:
        rows = report_queries.shipping_list(cur, status=where.status,
                                            created_from=where.created_from,
                                            created_to=where.created_to, search=where.search)
    return shipping_csv(rows)
