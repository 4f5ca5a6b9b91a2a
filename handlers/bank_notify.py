"""The bank's side: the backend notification and the shopper's return from the card page."""
import logging

from flask import Blueprint, current_app, jsonify, render_template, request

from handlers.notifier import Pushing
from services import payments
from sinopac.errors import BankConnectionError, SinoPacError

log = logging.getLogger(__name__)

bp = Blueprint("sinopac", __name__, url_prefix="/sinopac")


@bp.post("/notify")
def notify():
    """BackendURL (§8.1): JSON {ShopNo, PayToken}. Trust nothing in it but the PayToken,
    which we take to the bank's OrderPayQuery; answer {"Status":"S"} once handled."""
    rt = current_app.extensions["runtime"]
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(Status="F", Message="body must be JSON {ShopNo, PayToken}"), 400
    shop_no, pay_token = body.get("ShopNo"), body.get("PayToken")
    if shop_no != rt.settings.sinopac_shop_no:
        # Not our shop: touch nothing.
        return jsonify(Status="F", Message="unknown ShopNo"), 400
    if not isinstance(pay_token, str) or not 0 < len(pay_token) <= 100:
        return jsonify(Status="F", Message="PayToken missing"), 400
    try:
        _settle(rt, pay_token)
    except BankConnectionError:
        # The bank re-sends the notice; we will ask again then.
        return jsonify(Status="F", Message="bank unreachable, try again"), 503
    except SinoPacError as error:
        # A result whose Sign doesn't verify (or that the bank refuses) changes nothing.
        log.warning("event=notify_rejected error=%s", type(error).__name__)
        return jsonify(Status="F", Message="payment result could not be verified"), 502
    return jsonify(Status="S")


@bp.route("/return", methods=["GET", "POST"])
def shopper_return():
    """ReturnURL: the shopper's browser after the card page, with a form POST of ShopNo/PayToken."""
    rt = current_app.extensions["runtime"]
    pay_token = request.form.get("PayToken") or request.args.get("PayToken")
    paid, order = False, None
    if pay_token and request.values.get("ShopNo") == rt.settings.sinopac_shop_no:
        try:
            applied = _settle(rt, pay_token)
        except SinoPacError as error:
            log.warning("event=return_unverified error=%s", type(error).__name__)
            applied = None
        if applied:
            order = applied.order
            paid = applied.decision.order_paid or order.status in ("paid", "shipped")
    return render_template("payment_return.html", paid=paid, order=order,
                           shop_name=rt.settings.shop_name)


def _settle(rt, pay_token: str):
    """OrderPayQuery (the client verifies the bank's Sign) → apply once.

    The shopper's push leaves from a background sender: the bank (or the shopper's browser)
    is answered without waiting for LINE.
    """
    response = rt.bank.order_pay_query(pay_token)
    result = payments.result_from_pay_query(response)
    return payments.apply_payment_result(rt.db.with_context(Pushing(wait=False)), result)
