"""Exceptions raised by the QPay client (style rule 16, shaped like stripe's _error.py).

Messages carry only the bank's Description and ids: never keys, IV, HashID,
X-KeyID or decrypted plaintext.
"""


class SinoPacError(Exception):
    """Base class for every failure talking to the bank."""

    def __init__(self, description: str, status: str | None = None, order_no: str | None = None):
        super().__init__(description)
        self.description = description
        self.status = status
        self.order_no = order_no

    def __str__(self) -> str:
        extras = [f"{name}={value}" for name, value in
                  (("status", self.status), ("order_no", self.order_no)) if value]
        return f"{self.description} ({', '.join(extras)})" if extras else self.description

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(description={self.description!r}, "
                f"status={self.status!r}, order_no={self.order_no!r})")


class BankConnectionError(SinoPacError):
    """No usable answer: timeout, connection failure, HTTP 5xx or a non-JSON body."""

    def __init__(self, description: str, status: str | None = None,
                 order_no: str | None = None, *, should_retry: bool = True):
        super().__init__(description, status, order_no)
        self.should_retry = should_retry


class BankSignatureError(SinoPacError):
    """The bank's reply Sign does not verify, or its Message will not decrypt (§9)."""


class BankRejectedError(SinoPacError):
    """The bank said no: business Status F or an envelope rejection (§11.1)."""
