"""LINE Pay's redirect URLs: the shopper's browser after approving (confirmUrl) or cancelling.

The query string is the shopper's input (shared/refs/linepay.md §4): it only names an attempt;
the amount confirmed is the one we hold, and a pair of ids that isn't ours changes nothing.
"""
import logging

from flask import Blueprint, current_app, render_template, request

from services import payment_returns

log = logging.getLogger(__name__)

bp = Blueprint("linepay", __name__, url_prefix="/linepay")

MAX_ID_LENGTH = 100  # §3.1: orderId ≤ 100 characters; a transactionId is 19 digits


def _ids(*names: str) -> list[str] | None:
    """The named query values, or None when one is missing or not of its form."""
    values = [request.args.get(name, "") for name in names]
    if not all(0 < len(value) <= MAX_ID_LENGTH and value.isascii() for value in values):
        return None
    return values


def _page(returned, status: int = 200, **flags):
    rt = current_app.extensions["runtime"]
    order = returned.order if returned else None
    paid = order is not None and order.status in ("paid", "shipped")
    return render_template("payment_return.html", paid=paid, order=order,
                           shop_name=rt.settings.shop_name, **flags), status


@bp.get("/confirm")
def confirm():
    """confirmUrl?transactionId=…&orderId=…: confirm our attempt, tell the shopper in the chat."""
    rt = current_app.extensions["runtime"]
    ids = _ids("orderId", "transactionId")
    if ids is None or not ids[1].isdigit():
        return _page(None, 400, unknown=True)
    # str(int(…)): the canonical digits we stored, never a float on the way (§11).
    returned = payment_returns.confirm(rt.db, rt.providers, ids[0], str(int(ids[1])))
    if returned.attempt is None:
        return _page(None, 404, unknown=True)
    return _page(returned, confirming=returned.attempt.status == "open")


@bp.get("/cancel")
def cancel():
    """cancelUrl?orderId=…: the order stays payable; the shopper picks a method again."""
    rt = current_app.extensions["runtime"]
    ids = _ids("orderId")
    returned = payment_returns.cancel(rt.db, rt.providers, ids[0]) if ids else None
    if returned is None or returned.attempt is None:
        return _page(None, 404, unknown=True)
    return _page(returned, cancelled=True)
