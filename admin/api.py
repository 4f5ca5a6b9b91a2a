"""The back office as JSON for scripts: `Authorization: Bearer <token>` on every request, no cookies."""
import logging
from dataclasses import asdict
from datetime import date, datetime

from flask import Blueprint, abort, g, jsonify, request
from werkzeug.exceptions import HTTPException

from admin.auth import shop
from admin.views.audit import audit_filter, current_actor
from admin.views.orders import csv_download, order_filter
from models import limits
from services import (admin_accounts, admin_audit, admin_catalog, admin_orders, refunds,
                      reports, shipping)
from services import orders as order_service
from services.refunds import RefundRequest

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def authenticate():
    """Find the owner by API token; CSRF doesn't apply, as no cookie is involved.

    :raise 401: missing or unknown token.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    admin = None
    if scheme.lower() == "bearer" and token.strip():
        admin = admin_accounts.admin_for_token(shop().db, token.strip())
    if admin is None:
        response = jsonify(message="missing or invalid API token")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="admin"'
        return response
    g.admin = admin
    return None


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return jsonify(message=error.description), error.code


@bp.get("/products")
def products():
    """Every product with its stock."""
    return jsonify(products=[asdict(p) for p in admin_catalog.list_all(shop().db)])


@bp.post("/products/<int:product_id>/stock")
def adjust_stock(product_id: int):
    """Body {"delta": int, "reason": str}; answers the new stock."""
    body = _json()
    delta = limits.bounded(body.get("delta"), -limits.MAX_UNITS, limits.MAX_UNITS)
    if delta is None:
        abort(400, f"delta must be an integer from -{limits.MAX_UNITS} to {limits.MAX_UNITS}")
    stock = admin_catalog.adjust_stock(shop().db, product_id, delta,
                                       str(body.get("reason") or ""), current_actor())
    return jsonify(id=product_id, stock=stock)


@bp.get("/orders")
def orders():
    """Orders (flagged first); query: status, from, to (YYYY-MM-DD, Taipei), q, page."""
    rows, total = admin_orders.find(shop().db, order_filter(request.args))
    return jsonify(total=total, orders=[_plain({k: v for k, v in row.items()
                                                if k != "total_count"}) for row in rows])


@bp.get("/orders.csv")
def orders_csv():
    """The shipping list as CSV; the same query as /orders (status, from, to, q)."""
    return csv_download(reports.shipping_list(shop().db, order_filter(request.args)))


@bp.get("/orders/<int:order_id>")
def order(order_id: int):
    """One order with its lines, shopper, payment attempts and refunds."""
    return _order_json(order_id)


def _order_json(order_id: int):
    found = admin_orders.detail(shop().db, order_id)
    return jsonify(order=_plain(asdict(found.order)), display_name=found.display_name,
                   payment_attempts=[_plain(asdict(a)) for a in found.attempts],
                   paid=found.money.paid, refunded=found.money.refunded,
                   refundable=found.money.left, refund_state=found.money.state,
                   refunds=[_plain(asdict(r)) for r in found.refunds])


@bp.post("/orders/<int:order_id>/ship")
def ship(order_id: int):
    """Body {"tracking_note": str}; a paid order becomes shipped and the shopper is told."""
    shipping.ship(shop().db, order_id, str(_json().get("tracking_note") or ""), current_actor())
    return jsonify(id=order_id, status="shipped")


@bp.post("/orders/<int:order_id>/refund")
def refund(order_id: int):
    """Body {"amount": NT$ (optional: all that is left), "reason": str, "restock": bool,
    "note": str (an ATM payment's transfer)}; answers the order with its refunds.

    A card payment goes back through the bank; an ATM payment records the owner's transfer.
    An `Idempotency-Key` header makes a resent request find its first refund.
    :raise 400: restock is not true or false.
    """
    body = _json()
    restock = body.get("restock", False)
    if not isinstance(restock, bool):
        abort(400, "restock must be true or false")
    rt = shop()
    refunds.refund(rt.db, rt.providers, order_id, RefundRequest(
        amount=body.get("amount"), reason=str(body.get("reason") or ""), restock=restock,
        note=str(body.get("note") or "") or None,
        request_key=request.headers.get("Idempotency-Key", "")[:100] or None), current_actor())
    return _order_json(order_id)


@bp.post("/orders/<int:order_id>/cancel")
def cancel(order_id: int):
    """An unpaid order is cancelled and its stock returned."""
    order_service.cancel(shop().db, order_id, actor=current_actor())
    return jsonify(id=order_id, status="cancelled")


@bp.get("/audit")
def audit():
    """The audit trail, newest first, with the page's filters (action, entity, entity_id, who,
    from, to, page)."""
    found = admin_audit.find(shop().db, audit_filter(request.args), request.args.get("page"))
    return jsonify(total=found.total, page=found.page, pages=found.pages,
                   entries=[_plain(asdict(entry)) for entry in found.entries])


@bp.route("/<path:unknown>", methods=("GET", "POST", "PUT", "PATCH", "DELETE"))
def not_found(unknown: str):
    """Any other path: 404 JSON, once the token is checked (so strangers learn nothing)."""
    abort(404, "no such API endpoint")


def _json() -> dict:
    """:raise 400: the body is not a JSON object."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object")
    return body


def _plain(value):
    """Dates as ISO 8601 strings (Flask would write RFC 822)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value

