"""The back office's front page: today's figures, 30 days of revenue, products running low,
the month's LINE message quota."""
from flask import render_template

from admin import bp
from admin.auth import shop
from admin.chart import bar_chart
from handlers.scheduled import quota_now
from models import quota as quota_rules
from services import reminders, reports


@bp.get("/")
def dashboard():
    """Today's orders and revenue, the revenue chart and the low-stock list."""
    rt = shop()
    figures = reports.dashboard(rt.db, rt.settings.low_stock_threshold)
    return render_template("admin/dashboard.html", figures=figures,
                           chart=bar_chart(figures.revenue_by_day),
                           threshold=rt.settings.low_stock_threshold, quota=_quota(rt),
                           reminders_held=reminders.held_note(rt.db))


def _quota(rt) -> dict | None:
    """The month's limit, use and reserve, as LINE counts them (None: LINE didn't answer)."""
    found = quota_now(rt)
    if found is None:
        return None
    setting = rt.settings.quota_reserve
    return {"limit": found.limit, "used": found.used,
            "reserve": None if found.limit is None else quota_rules.reserve(found.limit, setting),
            "room": quota_rules.room(found.limit, found.used, setting)}
