"""The dashboard's last-30-days figures: funnel, best sellers, revenue per method, refunds."""
import re
from datetime import datetime, timedelta, timezone

from services import reports

NOW = datetime(2025, 3, 10, 4, 0, tzinfo=timezone.utc)  # 12:00 in Taipei; window from 9 Feb
IN = "2025-03-01 02:00+00"
BEFORE = "2025-02-08 15:00+00"  # 23:00 on 8 Feb in Taipei: one day too old


def seed_order(shop, user_id, status, created, lines, paid_by=None, paid=None):
    """An order with lines [(product_id, name, price, quantity)] and maybe a paid attempt."""
    total = sum(price * quantity for _, _, price, quantity in lines)
    order_id = shop.sql(
        "INSERT INTO orders (user_id, status, subtotal, total, expires_at, created_at, paid_at) "
        "VALUES (%s, %s, %s, %s, now(), %s, %s) RETURNING id",
        (user_id, status, total, total, created, paid))[0]["id"]
    for product_id, name, price, quantity in lines:
        shop.sql("INSERT INTO order_items (order_id, product_id, name, unit_price, quantity) "
                 "VALUES (%s, %s, %s, %s, %s)", (order_id, product_id, name, price, quantity))
    if paid_by:
        shop.sql("INSERT INTO payment_attempts (order_no, order_id, pay_type, amount, status) "
                 "VALUES (%s, %s, %s, %s, 'paid')", (f"T{order_id}", order_id, paid_by, total))
    return order_id


def seed_refund(shop, order_id, amount, status, created, method="card"):
    shop.sql("INSERT INTO refunds (order_id, amount, method, status, reason, created_at) "
             "VALUES (%s, %s, %s, %s, '少一件', %s)", (order_id, amount, method, status, created))


def seed_month(shop, when=IN, before=BEFORE):
    shop.add_product(1, name="凍頂烏龍", price=350)
    shop.sql("INSERT INTO cart_items (user_id, product_id, quantity, added_at) VALUES "
             "('U-browsing', 1, 1, %s), ('U-long-ago', 1, 1, %s)", (when, before))
    card = seed_order(shop, "U1", "paid", when, [(1, "凍頂烏龍", 350, 2), (2, "紅茶", 100, 1)],
                      "C", when)
    atm = seed_order(shop, "U2", "shipped", when, [(2, "紅茶", 100, 3)], "A", when)
    seed_order(shop, "U1", "pending", when, [(1, "凍頂烏龍", 350, 5)])
    seed_order(shop, "U3", "expired", when, [(2, "紅茶", 100, 9)])
    seed_order(shop, "U4", "paid", before, [(1, "凍頂烏龍", 350, 9)], "C", before)
    seed_refund(shop, card, 200, "done", when)
    seed_refund(shop, atm, 100, "done", when, method="atm_transfer")
    seed_refund(shop, card, 150, "pending", when)
    seed_refund(shop, atm, 50, "failed", when)
    return card, atm


def test_funnel_counts_carts_started_orders_and_paid_within_30_taipei_days(shop):
    seed_month(shop)
    period = reports.dashboard(shop.rt.db, 5, now=NOW).period
    # U-browsing still has a cart; U1, U2, U3 checked theirs out; U-long-ago and U4 are too old.
    assert (period.carts, period.orders, period.paid) == (4, 4, 2)


def test_best_sellers_and_revenue_by_method_count_paid_and_shipped_orders_only(shop):
    seed_month(shop)
    period = reports.dashboard(shop.rt.db, 5, now=NOW).period
    assert [(p["name"], p["units"], p["amount"]) for p in period.best_sellers] == [
        ("紅茶", 4, 400), ("凍頂烏龍", 2, 700)]
    assert period.revenue_by_method == {"A": 300, "C": 800}


def test_refunds_count_only_those_done_in_the_period(shop):
    card, _ = seed_month(shop)
    seed_refund(shop, card, 70, "done", BEFORE)
    period = reports.dashboard(shop.rt.db, 5, now=NOW).period
    assert (period.refunds, period.refunded) == (2, 300)


def test_an_empty_shop_shows_zeros(shop):
    period = reports.dashboard(shop.rt.db, 5, now=NOW).period
    assert (period.carts, period.orders, period.paid, period.best_sellers,
            period.revenue_by_method, period.refunds, period.refunded) == \
        (0, 0, 0, [], {"A": 0, "C": 0}, 0, 0)


def test_the_page_shows_the_periods_figures(shop, admin):
    now = datetime.now(timezone.utc)
    seed_month(shop, when=now - timedelta(minutes=5), before=now - timedelta(days=40))
    page = admin.get("/admin/").get_data(as_text=True)
    assert re.search(r'data-testid="carts">4<', page)
    assert re.search(r'data-testid="orders">4<', page)
    assert re.search(r'data-testid="paid">2<', page)
    assert re.search(r'data-testid="revenue-atm">NT\$300<', page)
    assert re.search(r'data-testid="revenue-card">NT\$800<', page)
    assert re.search(r'data-testid="refunds">NT\$300<', page)
    table = page[page.index('data-testid="best-sellers"'):]
    assert table.index("紅茶") < table.index("凍頂烏龍")
    assert "50%" in page  # 2 of 4 orders paid
