"""The dashboard's figures: Taipei days, revenue from paid and shipped orders, low stock."""
import re
from datetime import date, datetime, timezone

from admin.chart import bar_chart
from services import reports

NOW = datetime(2025, 3, 10, 4, 0, tzinfo=timezone.utc)  # 12:00 in Taipei, 10 March


def _order(shop, status, total, created, paid=None):
    shop.sql("INSERT INTO orders (user_id, status, subtotal, total, expires_at, created_at, paid_at) "
             "VALUES ('U1', %s, %s, %s, now(), %s, %s)", (status, total, total, created, paid))


def test_today_is_the_taipei_day_and_revenue_counts_paid_and_shipped(shop):
    _order(shop, "paid", 300, "2025-03-09 16:30+00", "2025-03-09 16:40+00")  # 00:40 today, Taipei
    _order(shop, "shipped", 500, "2025-03-09 10:00+00", "2025-03-10 01:00+00")  # placed yesterday
    _order(shop, "pending", 700, "2025-03-10 02:00+00")
    _order(shop, "cancelled", 900, "2025-03-10 02:00+00")
    _order(shop, "paid", 1000, "2025-03-09 15:00+00", "2025-03-09 15:30+00")  # 23:30 yesterday
    _order(shop, "paid", 40, "2025-02-01 00:00+00", "2025-02-01 00:00+00")  # older than 30 days
    figures = reports.dashboard(shop.rt.db, 5, now=NOW)
    assert figures.today == date(2025, 3, 10)
    assert (figures.orders_today, figures.revenue_today) == (3, 800)
    assert len(figures.revenue_by_day) == 30
    assert figures.revenue_by_day[0] == (date(2025, 2, 9), 0)
    assert figures.revenue_by_day[-2:] == [(date(2025, 3, 9), 1000), (date(2025, 3, 10), 800)]
    assert sum(value for _, value in figures.revenue_by_day) == 1800


def test_low_stock_lists_products_for_sale_at_or_under_the_threshold(shop):
    shop.add_product(1, name="烏龍茶", stock=5)
    shop.add_product(2, name="紅茶", stock=6)
    shop.add_product(3, name="綠茶", stock=0)
    shop.add_product(4, name="停售茶", stock=1)
    shop.sql("UPDATE products SET active = false WHERE id = 4")
    low = reports.dashboard(shop.rt.db, 5, now=NOW).low_stock
    assert [(p.name, p.stock) for p in low] == [("綠茶", 0), ("烏龍茶", 5)]


def test_the_chart_draws_one_bar_per_day_scaled_to_the_best_day():
    chart = bar_chart([(date(2025, 3, 1), 0), (date(2025, 3, 2), 1500), (date(2025, 3, 3), 3000)])
    assert chart.top_value == 5000
    assert [bar.height for bar in chart.bars] == [0, 0.3 * 186, 0.6 * 186]
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)


def test_the_page_shows_todays_figures_the_chart_and_low_products(shop, admin):
    _order(shop, "paid", 1234, "now()", "now()")
    _order(shop, "pending", 99, "now()")
    shop.add_product(1, name="烏龍茶", stock=2)
    page = admin.get("/admin/").get_data(as_text=True)
    assert re.search(r'data-testid="orders-today">2<', page)
    assert re.search(r'data-testid="revenue-today">NT\$1,234<', page)
    assert page.count('<rect class="bar"') == 30
    assert "<svg" in page and "烏龍茶" in page
