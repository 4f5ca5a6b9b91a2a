"""The app's one error handler: an unexpected error anywhere answers briefly and is logged once."""
import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from handlers import order_api
from models.admin_errors import ProductMissing
from models.errors import OrderNotFound, ShopError

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.register_error_handler(Exception, handle_error)


def handle_error(error: Exception):
    """A refusal (ShopError) says what the owner should know; anything else is a short 500.

    The chat never gets here: each inbox event catches its own errors (handlers/worker.py).
    """
    if isinstance(error, HTTPException):
        return error  # aborts render as usual (the admin API words them as JSON itself)
    if isinstance(error, ShopError):
        # Refund errors carry their own status (409, 422, 502, 504); the rest are conflicts.
        status = 404 if isinstance(error, (OrderNotFound, ProductMissing)) else \
            getattr(error, "http_status", 409)
        message = error.message
        log.info("event=request_refused path=%s error=%s", request.path, type(error).__name__)
    else:
        status, message = 500, "系統發生錯誤，請稍後再試。(internal error)"
        log.error("event=unexpected_error path=%s error=%s", request.path,
                  type(error).__name__, exc_info=error)
    if request.path.startswith("/api/") and status == 500:
        return order_api.unexpected_error()
    if request.path.startswith("/sinopac/"):
        # The bank retries a notice that isn't answered {"Status":"S"}.
        return jsonify(Status="F", Message="internal error"), status
    if request.path.startswith("/admin/") and not request.path.startswith("/admin/api/"):
        return render_template("admin/error.html", message=message), status
    named = {"error": type(error).__name__} if status != 500 else {}
    return jsonify(message=message, **named), status
