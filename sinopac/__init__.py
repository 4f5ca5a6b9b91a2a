"""Bank SinoPac QPay (funBIZ) client, records, errors and a local bank emulator."""
from .client import QPayClient
from .errors import BankConnectionError, BankRejectedError, BankSignatureError, SinoPacError
from .records import (ATMParam, CardParam, OrderCreateRequest, OrderCreateResponse,
                      OrderMaintainResponse, OrderPayQueryResponse, OrderQueryItem,
                      OrderQueryResponse, TSResultContent)

__all__ = [
    "QPayClient",
    "SinoPacError", "BankConnectionError", "BankSignatureError", "BankRejectedError",
    "ATMParam", "CardParam", "OrderCreateRequest", "OrderCreateResponse",
    "OrderMaintainResponse", "OrderPayQueryResponse", "OrderQueryItem",
    "OrderQueryResponse", "TSResultContent",
]
