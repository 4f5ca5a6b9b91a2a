"""Order pages: the filtered list (flagged first), its CSV shipping list, the detail, ship,
cancel and refund."""
import re
import secrets
from datetime import date, datetime, timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for

from admin import bp
from admin.auth import shop
from admin.views.audit import current_actor
from models import limits
from models.errors import OrderNotFound, ShopError
from models.order import TAIPEI
from services import admin_audit, admin_orders, refunds, reports, shipping
from services import orders as order_service
from services.admin_orders import PAGE_SIZE, OrderFilter
from services.refunds import RefundRequest
from services.reports import taipei_day_start

STATUSES = ("pending", "paid", "shipped", "expired", "cancelled")


@bp.get("/orders")
def orders():
    """Orders filtered by status, Taipei date range and order number (id or bank OrderNo)."""
    where = order_filter(request.args)
    rows, total = admin_orders.find(shop().db, where)
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("admin/orders/list.html", orders=rows, total=total, page=where.page,
                           pages=pages, statuses=STATUSES, args=request.args)


@bp.get("/orders.csv")
def orders_csv():
    """The shipping list of the orders the list's filter matches, as a CSV download."""
    return csv_download(reports.shipping_list(shop().db, order_filter(request.args)))


def csv_download(text: str) -> Response:
    """A CSV attachment named after today's Taipei date."""
    day = datetime.now(TAIPEI).strftime("%Y%m%d")
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="orders-{day}.csv"'})


def order_filter(args) -> OrderFilter:
    """The list's filters from query arguments; malformed ones are ignored."""
    status = args.get("status") if args.get("status") in STATUSES else None
    start, end = _day(args.get("from")), _day(args.get("to"))
    search = (args.get("q") or "").strip().lstrip("#")[:60] or None
    return OrderFilter(
        status=status,
        created_from=taipei_day_start(start) if start else None,
        created_to=taipei_day_start(end + timedelta(days=1)) if end else None,
        search=search, page=limits.whole(args.get("page", ""), 1, limits.MAX_PAGE) or 1)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.get("/orders/<int:order_id>")
def order(order_id: int):
    """One order: snapshot lines, shopper, recipient, payment attempts, its history, the actions.

    :raise 404: no such order.
    """
    try:
        found = admin_orders.detail(shop().db, order_id)
    except OrderNotFound:
        abort(404)
    # A fresh key per page view: the same form sent twice finds its first refund.
    return render_template("admin/orders/detail.html", detail=found, order=found.order,
                           history=admin_audit.history(shop().db, "order", order_id),
                           refund_key=secrets.token_urlsafe(16))


@bp.post("/orders/<int:order_id>/ship")
def ship_order(order_id: int):
    """Mark a paid order shipped; the shopper is pushed the news with the tracking note."""
    try:
        shipping.ship(shop().db, order_id, request.form.get("tracking_note", ""), current_actor())
    except ShopError as error:
        flash(error.message, "error")
    else:
        flash(f"訂單 #{order_id} 已標記出貨，並已通知顧客。", "success")
    return redirect(url_for("admin.order", order_id=order_id), 303)


@bp.post("/orders/<int:order_id>/cancel")
def cancel_order(order_id: int):
    """Cancel an unpaid order; its stock goes back on sale and the shopper is told."""
    try:
        order_service.cancel(shop().db, order_id, actor=current_actor())
    except ShopError as error:
        flash(error.message, "error")
    else:
        flash(f"訂單 #{order_id} 已取消，庫存已退回。", "success")
    return redirect(url_for("admin.order", order_id=order_id), 303)


@bp.post("/orders/<int:order_id>/refund")
def refund_order(order_id: int):
    """Refund a paid order: a card through the bank, an ATM payment as the owner's transfer."""
    rt = shop()
    raw = request.form.get("amount", "").strip()
    # Blank gives back all that is left; anything but digits is refused by the rules.
    amount = None if not raw else int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else raw
    try:
        outcome = refunds.refund(rt.db, rt.providers, order_id, RefundRequest(
            amount=amount, reason=request.form.get("reason", ""),
            restock=request.form.get("restock") == "1", note=request.form.get("note"),
            request_key=request.form.get("refund_key") or None), current_actor())
    except ShopError as error:
        flash(error.message, "error")
    else:
        restocked = f"，{outcome.restocked} 件商品已退回庫存" if outcome.restocked else ""
        flash(f"訂單 #{order_id} 已退款 NT${outcome.refund.amount}{restocked}，並已通知顧客。",
              "success")
    return redirect(url_for("admin.order", order_id=order_id), 303)
