"""LINE Pay Online API v3 client, records, errors and a local LINE Pay emulator."""
from .client import LinePayClient
from .errors import (LinePayAnswerError, LinePayConnectionError, LinePayError,
                     LinePayRejectedError)
from .records import (CheckAnswer, ConfirmAnswer, Package, PayInfo, PaymentRequest,
                      PaymentRequestAnswer, Product, RefundAnswer)

__all__ = [
    "LinePayClient",
    "LinePayError", "LinePayConnectionError", "LinePayRejectedError", "LinePayAnswerError",
    "CheckAnswer", "ConfirmAnswer", "Package", "PayInfo", "PaymentRequest",
    "PaymentRequestAnswer", "Product", "RefundAnswer",
]
