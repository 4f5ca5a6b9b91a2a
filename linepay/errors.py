"""Exceptions raised by the LINE Pay client (style rule 16, shaped like stripe's _error.py).

Messages carry only LINE Pay's return code, its message and ids: never the channel
secret, a nonce or an X-LINE-Authorization value.
"""

# §9 of shared/refs/linepay.md: what a return code means to us.
RETURN_CODE_MESSAGES = {
    "1101": "the buyer is not a LINE Pay member",
    "1102": "the buyer cannot use LINE Pay now",
    "1104": "merchant not found: check LINEPAY_CHANNEL_ID / LINEPAY_CHANNEL_SECRET",
    "1105": "this merchant cannot use LINE Pay",
    "1106": "header information error (signature, channel id or nonce)",
    "1110": "the card cannot be used",
    "1124": "amount information error (scale)",
    "1141": "payment account status error",
    "1142": "insufficient balance",
    "1145": "payment is in process",
    "1150": "transaction not found",
    "1152": "a transaction with this transactionId already exists (already confirmed?)",
    "1153": "the amount differs from the requested amount",
    "1155": "this transaction cannot be refunded",
    "1159": "payment request information not found",
    "1163": "the refund period is over",
    "1164": "the refund exceeds the refundable amount",
    "1165": "the transaction was already refunded",
    "1169": "the buyer has not approved the payment in LINE Pay yet",
    "1170": "the buyer's balance changed",
    "1172": "an order with this orderId was requested before",
    "1177": "more than 100 transactions match",
    "1178": "the currency is not supported by this merchant",
    "1179": "the transaction cannot be processed in its current state",
    "1180": "the payment has expired",
    "1183": "the amount is below the minimum",
    "1184": "the amount is above the maximum",
    "1198": "duplicate call: the request is already being processed",
    "1199": "internal request error",
    "2101": "parameter error",
    "2102": "JSON format error",
    "9000": "LINE Pay internal error",
}


def describe(return_code: str | None) -> str:
    """Return what a return code means, with the 1280–1298 card and 190X families."""
    code = return_code or ""
    if code in RETURN_CODE_MESSAGES:
        return RETURN_CODE_MESSAGES[code]
    if code.isdigit() and 1280 <= int(code) <= 1298:
        return "credit card error"
    if code.startswith("190"):
        return "temporary LINE Pay error, try again later"
    return "unknown return code"


class LinePayError(Exception):
    """Base class for every failure talking to LINE Pay."""

    def __init__(self, message: str, return_code: str | None = None,
                 transaction_id: int | None = None, order_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.return_code = return_code
        self.transaction_id = transaction_id
        self.order_id = order_id

    def __str__(self) -> str:
        extras = [f"{name}={value}" for name, value in
                  (("return_code", self.return_code), ("transaction_id", self.transaction_id),
                   ("order_id", self.order_id)) if value]
        return f"{self.message} ({', '.join(extras)})" if extras else self.message

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(message={self.message!r}, "
                f"return_code={self.return_code!r}, transaction_id={self.transaction_id!r}, "
                f"order_id={self.order_id!r})")


class LinePayConnectionError(LinePayError):
    """No usable answer: timeout, connection failure, non-200 HTTP or a malformed body."""

    def __init__(self, message: str, *, should_retry: bool = True, **ids):
        super().__init__(message, **ids)
        self.should_retry = should_retry


class LinePayRejectedError(LinePayError):
    """LINE Pay answered with a returnCode that is not success for this API."""

    def __init__(self, return_code: str, return_message: str | None = None, **ids):
        meaning = describe(return_code)
        text = f"{meaning}: {return_message}" if return_message else meaning
        super().__init__(text, return_code=return_code, **ids)
        self.return_message = return_message


class LinePayAnswerError(LinePayError):
    """A success answer that breaks the protocol: a field missing, or a float transactionId."""
