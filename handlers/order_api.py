"""The JSON order API under /api: the shop page inside LINE (LIFF) buys through it.

Every answer is JSON, errors included. The shopper is whoever LINE says the Bearer ID token
belongs to (line-platform.md §8.4, §9); a user id sent by the client is never read.
"""
import json
import logging
from datetime import datetime

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from handlers.line_login import LoginUnavailableError
from handlers.notifier import ReplyContext
from models.errors import (BankRefused, BankUnavailable, InvalidOrderRequest, OrderNotFound,
                           OrderNotPayable, OrderTooLarge, RecipientMissing, SoldOut)
from models.order_request import parse_order_request
from models.records import Order, PaymentAttempt, Product, Recipient
from models.messages import refusal_text
from models.texts import pick_language, t
from services import catalog, checkout, orders, payments, shoppers

log = logging.getLogger(__name__)

bp = Blueprint("order_api", __name__, url_prefix="/api")

MAX_BODY_BYTES = 64 * 1024
MAX_ID = 2**31 - 1
ERROR_NAMES = {400: "bad_request", 401: "unauthorized", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def _rt():
    return current_app.extensions["runtime"]


def _language() -> str:
    """The page's language: it sends LINE's in Accept-Language."""
    return pick_language(request.accept_languages.best_match(["zh-TW", "zh", "en"]))


def _shopper() -> str:
    """The verified LINE user id behind `Authorization: Bearer <ID token>`.

    :raise 401: missing, refused, expired or another channel's token.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401)
    try:
        user_id = _rt().login.user_id(token.strip())
    except LoginUnavailableError:
        abort(_error(503, "login_unavailable", message=t("api_login_unavailable", _language())))
    if user_id is None:
        abort(401)
    return user_id


def _body():
    """The JSON body, whatever its shape (the caller checks it).

    :raise 415: not declared as JSON. :raise 413: over 64 KB. :raise 400: not parseable.
    """
    if not request.is_json:
        abort(415)
    if (request.content_length or 0) > MAX_BODY_BYTES:
        abort(413)
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        abort(413)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        abort(_error(400, "invalid_json"))


def _error(status: int, error: str, **extra):
    response = jsonify({"error": error, **extra})
    response.status_code = status
    return response


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    if error.response is not None:
        return error.response
    return _error(error.code or 500, ERROR_NAMES.get(error.code, "error"))


def unexpected_error():
    """The order API's answer to an unexpected error (the app's one handler calls it)."""
    return _error(500, "internal_error", message=t("error_generic", _language()))


def _order_id(order_id: int) -> int:
    """:raise OrderNotFound: an id no order can have (the column is a 32-bit integer)."""
    if not 0 < order_id <= MAX_ID:
        raise OrderNotFound()
    return order_id


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _recipient(recipient: Recipient | None) -> dict | None:
    if recipient is None:
        return None
    return {"name": recipient.name, "phone": recipient.phone, "address": recipient.address}


def _product(product: Product) -> dict:
    return {"id": product.id, "name": product.name, "price": product.price,
            "stock": product.stock, "image_url": product.image_url,
            "description": product.description}


def _payment(attempt: PaymentAttempt | None, deadline: datetime | None) -> dict | None:
    if attempt is None or attempt.status not in ("open", "paid"):
        return None
    if attempt.pay_type == "L":
        # The transactionId stays on our side: a browser's JSON numbers would round it (§11).
        return {"method": "linepay", "payment_url": attempt.pay_url,
                "app_url": attempt.pay_app_url, "amount": attempt.amount,
                "status": attempt.status}
    if attempt.pay_type == "A":
        return {"method": "atm", "bank_code": attempt.atm_bank_code,
                "account": attempt.atm_pay_no, "amount": attempt.amount,
                "deadline": _when(deadline), "status": attempt.status}
    return {"method": "card", "card_url": attempt.card_url, "amount": attempt.amount,
            "status": attempt.status}


def _order(order: Order, attempt: PaymentAttempt | None = None) -> dict:
    return {
        "id": order.id, "status": order.status, "subtotal": order.subtotal,
        "discount": order.discount, "total": order.total, "expires_at": _when(order.expires_at),
        "created_at": _when(order.created_at), "recipient": _recipient(order.recipient),
        "lines": [{"product_id": line.product_id, "name": line.name,
                   "unit_price": line.unit_price, "image_url": line.image_url,
                   "count": line.quantity, "total_price": line.amount}
                  for line in order.lines],
        "payment": _payment(attempt, order.expires_at),
    }


@bp.get("/products")
def list_products():
    """The products for sale; no sign-in needed."""
    return jsonify({"products": [_product(p) for p in catalog.for_sale(_rt().db)]})


@bp.get("/me")
def me():
    """The shopper's saved delivery details (to prefill the form)."""
    user_id = _shopper()
    return jsonify({"recipient": _recipient(shoppers.saved_recipient(_rt().db, user_id))})


@bp.post("/orders")
def create_order():
    """Check out posted lines: 201 order, 400 every bad field, 409 every line's stock."""
    user_id = _shopper()
    rt, language = _rt(), _language()
    body = _body()
    saved = shoppers.saved_recipient(rt.db, user_id)
    try:
        wanted = parse_order_request(body, language, recipient_saved=saved is not None)
        order = checkout.checkout_lines(_answering(rt, user_id, language), user_id, wanted,
                                        hold_minutes=rt.settings.order_hold_minutes)
    except InvalidOrderRequest as error:
        return _error(400, "invalid_request", fields=error.fields)
    except RecipientMissing:
        return _error(400, "invalid_request", fields={"recipient": t("api_required", language)})
    except OrderTooLarge as error:
        return _error(422, "order_too_large", message=refusal_text(error, language))
    except SoldOut as error:
        return _error(409, "out_of_stock", lines=[
            {"product_id": s.product_id, "name": s.name, "count": s.count,
             "have_stock": s.have_stock, "total_price": s.total_price}
            for s in error.params["lines"]])
    log.info("event=api_order_created order_id=%s lines=%s", order.id, len(order.lines))
    return jsonify({"order": _order(order)}), 201


@bp.get("/orders")
def list_orders():
    """The shopper's recent orders, newest first."""
    user_id = _shopper()
    return jsonify({"orders": [_order(o) for o in orders.recent_orders(_rt().db, user_id)]})


@bp.get("/orders/<int:order_id>")
def show_order(order_id: int):
    """One of the shopper's orders with how to pay it. :raise 404: missing or not theirs."""
    user_id = _shopper()
    try:
        order, attempt = orders.order_for(_rt().db, user_id, _order_id(order_id))
    except OrderNotFound:
        abort(404)
    return jsonify({"order": _order(order, attempt)})


@bp.post("/orders/<int:order_id>/payments")
def create_payment(order_id: int):
    """Pay by `{"method": "atm" | "card" | "linepay"}` (LINE Pay when offered): 201 how to pay,
    409 not payable, 503 provider down."""
    user_id = _shopper()
    rt, language = _rt(), _language()
    body = _body()
    method = body.get("method") if isinstance(body, dict) else None
    provider = rt.providers.named(method) if isinstance(method, str) else None
    if provider is None:
        names = ", ".join(m.name for m in rt.providers.methods)
        return _error(400, "invalid_request",
                      fields={"method": t("api_method", language, methods=names)})
    try:
        attempt = payments.start_payment(_answering(rt, user_id, language), provider,
                                         rt.payment_settings, user_id, _order_id(order_id))
        order, _ = orders.order_for(rt.db, user_id, order_id)
    except OrderNotFound:
        abort(404)
    except OrderNotPayable as error:
        return _error(409, "not_payable", message=refusal_text(error, language))
    except (BankUnavailable, BankRefused) as error:
        return _error(503, "bank_unavailable", message=refusal_text(error, language))
    return jsonify({"payment": _payment(attempt, order.expires_at)}), 201


def _answering(rt, user_id: str, language: str):
    """The database answering this shopper: what the order API does also reaches their chat,
    in the page's language (no reply token: it is pushed)."""
    return rt.db.with_context(ReplyContext(user_id, language=language))


@bp.route("/<path:unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_route(unknown: str):
    """Unknown API paths answer JSON too (blueprint handlers don't see routing 404s)."""
    abort(404)
