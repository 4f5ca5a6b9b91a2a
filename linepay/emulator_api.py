"""The emulated LINE Pay APIs: check a verified request, answer (returnCode, message, info).

Codes follow shared/refs/linepay.md §9 and the emulator checklist §13. Where LINE Pay's
real code is UNVERIFIED (§14) the choice is marked "choice" below.
"""
from __future__ import annotations

from .emulator_state import (AUTHORIZED, CANCELLED, CONFIRMED, FAILED, RESERVED, Channel,
                             LinePayState, utc_now)

SUCCESS = ("0000", "Success.")


class Refusal(Exception):
    """A failure answered as HTTP 200 {returnCode, returnMessage} (§13)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value, limit: int = 100) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def _check_packages(body: dict) -> None:
    """§3.1: package amount = Σ price × quantity; amount = Σ packages (+ userFee)."""
    total = 0
    for package in body["packages"]:
        products = package.get("products") if isinstance(package, dict) else None
        if not isinstance(products, list) or not products or not _text(package.get("id")):
            raise Refusal("2101", "Parameter error: packages[].id/products")
        for product in products:
            if not isinstance(product, dict) or not _text(product.get("name"), 4000) \
                    or not _whole(product.get("quantity")) or product["quantity"] <= 0 \
                    or not _whole(product.get("price")):
                raise Refusal("2101", "Parameter error: packages[].products[]")
        amount, fee = package.get("amount"), package.get("userFee", 0)
        if not _whole(amount) or not _whole(fee):
            raise Refusal("1124", "Amount info error (scale)")
        if amount != sum(p["quantity"] * p["price"] for p in products):
            raise Refusal("2101", "Parameter error: packages[].amount is not Σ price × quantity")
        total += amount + fee
    if total != body["amount"]:
        # choice: 2101 (1124 is the other candidate, §3.1).
        raise Refusal("2101", "Parameter error: amount is not Σ packages[].amount")


def request_payment(state: LinePayState, channel: Channel, body: dict,
                    public_url: str) -> dict:
    """POST /v3/payments/request (§3): reserve a transaction, answer the payment URLs."""
    urls = body.get("redirectUrls")
    if not _text(body.get("orderId")) or not isinstance(body.get("packages"), list) \
            or not body["packages"] or not isinstance(urls, dict) \
            or not _text(urls.get("confirmUrl"), 2000) or not _text(urls.get("cancelUrl"), 2000):
        raise Refusal("2101", "Parameter error: orderId, packages, redirectUrls are required")
    if not _whole(body.get("amount")):
        raise Refusal("1124", "Amount info error (scale)")
    if body.get("currency") != channel.currency:
        raise Refusal("1178", "Unsupported currency")
    if body["amount"] <= 0:
        raise Refusal("1183", "Payment amount must be greater than 0")
    _check_packages(body)
    transaction = state.reserve(channel.channel_id, body)
    if transaction is None:
        raise Refusal("1172", "Existing same orderId.")
    return {
        "paymentUrl": {
            "web": f"{public_url}/web/payment/wait?transactionReserveId={transaction.reserve_id}",
            "app": f"line://pay/payment/{transaction.reserve_id}",
        },
        "transactionId": transaction.transaction_id,
        "paymentAccessToken": transaction.access_token,
    }


def confirm(state: LinePayState, channel: Channel, transaction_id: int, body: dict) -> dict:
    """POST /v3/payments/{id}/confirm (§5): capture an approved payment once."""
    with state.lock:
        transaction = state.find(transaction_id, channel.channel_id)
        if transaction is None:
            raise Refusal("1150", "Transaction record not found.")
        if transaction.state == CONFIRMED:
            # choice (§5: 1152/1172/1198 are the candidates; §13 picks 1152).
            raise Refusal("1152", "There is a history with the same transactionId.")
        if body.get("amount") != transaction.amount or not _whole(body.get("amount")) \
                or body.get("currency") != transaction.body["currency"]:
            raise Refusal("1153", "The amount requested differs from the amount confirmed.")
        if transaction.state == RESERVED:
            raise Refusal("1169", "The user has not approved the payment yet.")
        if transaction.state in (CANCELLED, FAILED):
            raise Refusal("1180", "The payment has expired or was cancelled.")  # choice
        transaction.state = CONFIRMED
        return {"orderId": transaction.order_id, "transactionId": transaction.transaction_id,
                "payInfo": [{"method": "BALANCE", "amount": transaction.amount}],
                "packages": transaction.body["packages"]}


CHECK_ANSWERS = {
    RESERVED: ("0000", "reserved transaction."),
    AUTHORIZED: ("0110", "Authorization completed. Confirm may be called."),
    CANCELLED: ("0121", "The payment was cancelled by the user or has expired."),
    FAILED: ("0122", "The payment failed."),
    CONFIRMED: ("0123", "The payment is completed."),
}


def check(state: LinePayState, channel: Channel, transaction_id: int) -> tuple[str, str]:
    """GET /v3/payments/requests/{id}/check (§6): where the request stands."""
    transaction = state.find(transaction_id, channel.channel_id)
    if transaction is None:
        raise Refusal("1150", "Transaction record not found.")
    return CHECK_ANSWERS[transaction.state]


def refund(state: LinePayState, channel: Channel, transaction_id: int, body: dict) -> dict:
    """POST /v3/payments/{id}/refund (§7): full (no refundAmount) or partial."""
    with state.lock:
        transaction = state.find(transaction_id, channel.channel_id)
        if transaction is None:
            raise Refusal("1150", "Transaction record not found.")
        if transaction.state != CONFIRMED:
            raise Refusal("1155", "The transaction cannot be refunded.")  # choice (§14)
        left = transaction.refundable
        if left <= 0:
            raise Refusal("1165", "Already refunded.")
        amount = body.get("refundAmount", left)
        if not _whole(amount) or amount <= 0:
            raise Refusal("1124", "Amount info error (scale)")
        if amount > left:
            raise Refusal("1164", "Exceeds the refundable amount.")
        refund_id = state.new_id()
        date = utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")
        transaction.refunds.append((refund_id, amount, date))
        return {"refundTransactionId": refund_id, "refundTransactionDate": date}
