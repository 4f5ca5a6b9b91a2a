"""The back office's front page: today's figures, 30 days of revenue, products running low."""
from flask import render_template

from admin import bp
from admin.auth import shop
from admin.chart import bar_chart
from services import reports


@bp.get("/")
def dashboard():
    """Today's orders and revenue, the revenue chart and the low-stock list."""
    rt = shop()
    figures = reports.dashboard(rt.db, rt.settings.low_stock_threshold)
    return render_template("admin/dashboard.html", figures=figures,
                           chart=bar_chart(figures.revenue_by_day),
                           threshold=rt.settings.low_stock_threshold)
