"""LinePayClient: one method per LINE Pay Online API v3 call, over one keep-alive session.

Section numbers refer to shared/refs/linepay.md.
"""
import json
import logging
import time
from decimal import Decimal

import requests

from . import signing
from .errors import (LinePayAnswerError, LinePayConnectionError, LinePayError,
                     LinePayRejectedError)
from .records import (CHECK_CODES, CURRENCY, CheckAnswer, ConfirmAnswer, PaymentRequest,
                      PaymentRequestAnswer, RefundAnswer, exact_id)

log = logging.getLogger(__name__)

API_PREFIX = "/v3/payments"  # §12: v4 is the same paths under /v4/
SUCCESS = "0000"
MAX_RETRIES = 2
# §10: the read timeouts LINE Pay asks for, per API, when no timeout is given.
DEFAULT_TIMEOUTS = {"request": 20.0, "confirm": 40.0, "check": 20.0, "refund": 20.0}


class LinePayClient:
    """Client for LINE Pay at `base_url` (https://sandbox-api-pay.line.me or production)."""

    retry_backoff = 0.5  # seconds before the first retry, doubled after each

    def __init__(self, base_url: str, channel_id: str, channel_secret: str, *,
                 timeout: float | None = None, session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.channel_id = channel_id
        self.timeout = timeout
        self._channel_secret = channel_secret
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"LinePayClient(base_url={self.base_url!r}, channel_id={self.channel_id!r})"

    def request_payment(self, req: PaymentRequest) -> PaymentRequestAnswer:
        """Reserve a payment; the answer's payment_url_web is the shopper's button (§3).

        :raise LinePayRejectedError: e.g. 1172 when the orderId was requested before.
        """
        # Not retried: a lost answer cannot be re-asked with the same orderId (1172) and
        # would not return the transactionId; the caller makes a new attempt instead.
        answer = self._call("request", "POST", f"{API_PREFIX}/request", body=req.to_body(),
                            ids={"order_id": req.order_id})
        return _parse(PaymentRequestAnswer, answer, ids={"order_id": req.order_id})

    def confirm(self, transaction_id: int, amount: int,
                currency: str = CURRENCY) -> ConfirmAnswer:
        """Capture an approved payment with the amount *we* hold (§5).

        :raise LinePayRejectedError: 1153 amount differs, 1169 not approved yet, 1152 already
            confirmed (verify with `check`).
        """
        # Not retried: LINE Pay's answer to a second confirm is not documented (§5, §14);
        # after a timeout the caller asks `check` (0123 paid, 0110 confirm again, §10).
        transaction_id = exact_id(transaction_id)
        answer = self._call("confirm", "POST", f"{API_PREFIX}/{transaction_id}/confirm",
                            body={"amount": amount, "currency": currency},
                            ids={"transaction_id": transaction_id})
        return _parse(ConfirmAnswer, answer, ids={"transaction_id": transaction_id})

    def check(self, transaction_id: int) -> CheckAnswer:
        """Ask where a payment request stands (§6): reserved, authorized, completed, …"""
        # Retried: a read-only GET, safe to repeat.
        transaction_id = exact_id(transaction_id)
        answer = self._call("check", "GET", f"{API_PREFIX}/requests/{transaction_id}/check",
                            ids={"transaction_id": transaction_id}, retry=True,
                            success=CHECK_CODES)
        return CheckAnswer(answer["returnCode"], answer.get("returnMessage"))

    def refund(self, transaction_id: int, refund_amount: int | None = None) -> RefundAnswer:
        """Refund `refund_amount` NT$, or everything left when None (§7).

        :raise LinePayRejectedError: 1164 more than refundable, 1165 already refunded.
        """
        # Not retried: refund is not documented as idempotent (§7); after a timeout,
        # look the refunds up before asking again.
        transaction_id = exact_id(transaction_id)
        body = {} if refund_amount is None else {"refundAmount": refund_amount}
        answer = self._call("refund", "POST", f"{API_PREFIX}/{transaction_id}/refund",
                            body=body, ids={"transaction_id": transaction_id})
        return _parse(RefundAnswer, answer, ids={"transaction_id": transaction_id})

    def _call(self, api: str, method: str, path: str, *, body: dict | None = None,
              ids: dict, retry: bool = False,
              success=frozenset({SUCCESS})) -> dict:
        """Run one API call with the retry policy; return the parsed answer.

        :raise LinePayRejectedError: the returnCode is not in `success`.
        """
        retries_left, delay = (MAX_RETRIES if retry else 0), self.retry_backoff
        while True:
            try:
                answer = self._logged_call(api, method, path, body, ids)
                break
            except LinePayConnectionError as exc:
                # Like stripe's _should_retry: connection errors and timeouts only.
                if not (exc.should_retry and retries_left):
                    raise
                log.warning("event=linepay_retry api=%s retries_left=%d", api, retries_left)
                retries_left -= 1
                time.sleep(delay)
                delay *= 2
        code = answer.get("returnCode")
        if code not in success:
            raise LinePayRejectedError(str(code), answer.get("returnMessage"), **ids)
        return answer

    def _logged_call(self, api: str, method: str, path: str, body: dict | None,
                     ids: dict) -> dict:
        started = time.monotonic()
        outcome = "-"
        try:
            answer = self._send(api, method, path, body, ids)
            outcome = answer.get("returnCode") or "-"
            return answer
        except LinePayError as exc:
            outcome = f"- error={type(exc).__name__}"
            raise
        finally:
            elapsed_ms = round((time.monotonic() - started) * 1000)
            log.info("event=linepay_call api=%s %s return_code=%s elapsed_ms=%d", api,
                     " ".join(f"{key}={value}" for key, value in ids.items()), outcome,
                     elapsed_ms)

    def _send(self, api: str, method: str, path: str, body: dict | None,
              ids: dict) -> dict:
        """Sign and send one request; return the JSON object answered with HTTP 200."""
        # §2.2: sign the exact bytes sent, so the body is serialized once, here.
        payload = "" if body is None else json.dumps(body, ensure_ascii=False,
                                                     separators=(",", ":"))
        # A GET here has no query string, so it signs "" (§2.2).
        headers = signing.auth_headers(self.channel_id, self._channel_secret, path, payload)
        try:
            resp = self._session.request(method, self.base_url + path,
                                         data=payload.encode("utf-8") or None, headers=headers,
                                         timeout=self.timeout or DEFAULT_TIMEOUTS[api])
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise LinePayConnectionError(f"{type(exc).__name__} calling {path}", **ids) from None
        if resp.status_code != 200:
            # §9: SDKs treat any non-2xx as a transport error; 5xx may pass, so retry those.
            raise LinePayConnectionError(f"HTTP {resp.status_code} from {path}",
                                         should_retry=resp.status_code >= 500, **ids)
        try:
            # §11: ints stay exact in Python's json; floats become Decimal, never float.
            answer = json.loads(resp.content.decode("utf-8"), parse_float=Decimal)
        except ValueError:
            raise LinePayConnectionError(f"non-JSON answer from {path}", should_retry=False,
                                         **ids) from None
        if not isinstance(answer, dict):
            raise LinePayConnectionError(f"unexpected JSON from {path}", should_retry=False,
                                         **ids)
        return answer


def _parse(record, answer: dict, ids: dict):
    """Build `record` from a success answer.

    :raise LinePayAnswerError: a field is missing or malformed, e.g. a float transactionId.
    """
    try:
        return record.from_answer(answer)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise LinePayAnswerError(f"malformed {record.__name__}: {exc}", **ids) from None
