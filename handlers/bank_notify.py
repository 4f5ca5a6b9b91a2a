"""The bank's side: the backend notification and the shopper's return from the card page."""
import logging
import threading

from flask import Blueprint, current_app, jsonify, render_template, request

from services import bank_notices

log = logging.getLogger(__name__)

bp = Blueprint("sinopac", __name__, url_prefix="/sinopac")

# Shoppers' return pages that may wait on the bank at once, per process; the rest are told
# we are confirming, so a flood of return visits never holds the threads that answer LINE.
RETURN_CONFIRMS = threading.BoundedSemaphore(2)
RETURN_WAIT_SECONDS = 5.0


@bp.post("/notify")
def notify():
    """BackendURL (§8.1): JSON {ShopNo, PayToken}. Trust nothing in it but the PayToken, which
    the workers take to the bank's OrderPayQuery; answer {"Status":"S"} once it is stored."""
    rt = current_app.extensions["runtime"]
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(Status="F", Message="body must be JSON {ShopNo, PayToken}"), 400
    shop_no, pay_token = body.get("ShopNo"), body.get("PayToken")
    if shop_no != rt.settings.sinopac_shop_no:
        # Not our shop: touch nothing.
        return jsonify(Status="F", Message="unknown ShopNo"), 400
    if not bank_notices.is_pay_token(pay_token):
        # Not of the bank's form: forged or garbled, not worth a bank call.
        return jsonify(Status="F", Message="PayToken missing or malformed"), 400
    if not bank_notices.receive(rt.db, pay_token):
        log.info("event=bank_notice_repeated")
    return jsonify(Status="S")


@bp.route("/return", methods=["GET", "POST"])
def shopper_return():
    """ReturnURL: the shopper's browser after the card page, with a form POST of ShopNo/PayToken."""
    rt = current_app.extensions["runtime"]
    pay_token = request.form.get("PayToken") or request.args.get("PayToken")
    status, order = None, None
    if bank_notices.is_pay_token(pay_token) \
            and request.values.get("ShopNo") == rt.settings.sinopac_shop_no:
        bank_notices.receive(rt.db, pay_token)
        if RETURN_CONFIRMS.acquire(blocking=False):
            try:
                status, order = bank_notices.confirm_for_shopper(
                    rt.db, rt.providers, pay_token, within=RETURN_WAIT_SECONDS)
            finally:
                RETURN_CONFIRMS.release()
        else:
            status, order = bank_notices.order_for(rt.db, pay_token)
    paid = order is not None and order.status in ("paid", "shipped")
    return render_template("payment_return.html", paid=paid, order=order,
                           confirming=status == "pending",
                           shop_name=rt.settings.shop_name)
