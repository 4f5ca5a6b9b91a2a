"""QPayClient: one method per bank service, over one keep-alive session (style rule 16)."""
import json
import logging
import time

import requests

from . import crypto
from .errors import BankConnectionError, BankRejectedError, BankSignatureError, SinoPacError
from .records import (OrderCreateRequest, OrderCreateResponse, OrderMaintainResponse,
                      OrderPayQueryResponse, OrderQueryResponse, to_minor)

log = logging.getLogger(__name__)

API_VERSION = "1.0.0"
MAX_RETRIES = 2
# A call with less time than this left in its budget isn't started.
MIN_CALL_SECONDS = 0.5


class QPayClient:
    """Client for Bank SinoPac QPay (funBIZ) at `base_url` (…/QPay.WebAPI/api)."""

    retry_backoff = 0.25  # seconds before the first retry, doubled after each

    def __init__(self, base_url: str, shop_no: str, hash_keys: tuple[str, str, str, str],
                 x_key_id: str, *, timeout: float = 10.0, create_timeout: float = 10.0,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.shop_no = shop_no
        self.timeout = timeout
        self.create_timeout = create_timeout
        self._hash_id = crypto.hash_id(*hash_keys)
        self._x_key_id = x_key_id
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"QPayClient(base_url={self.base_url!r}, shop_no={self.shop_no!r})"

    def order_create(self, req: OrderCreateRequest) -> OrderCreateResponse:
        """Create an ATM (A) or card (C) order, taking at most `create_timeout` seconds in all.

        A lost answer is not a lost order: after a timeout or a refusal (such as "duplicate
        OrderNo" on a retry), OrderQuery looks for the order the bank did make, and we carry
        on with it.
        :raise BankRejectedError: Status F and the bank has no such order.
        :raise BankConnectionError: no answer within the time, and no such order found.
        """
        deadline = time.monotonic() + self.create_timeout
        try:
            # Retrying is safe: the retry reuses OrderNo, and the bank refuses a duplicate.
            reply = self._call("OrderCreate", req.to_message(self.shop_no),
                               order_no=req.OrderNo, retry=True, deadline=deadline)
        except (BankConnectionError, BankRejectedError):
            existing = self._created_before(req, deadline)
            if existing is None:
                raise
            log.info("event=bank_order_found order_no=%s ts_no=%s", req.OrderNo, existing.TSNo)
            return existing
        return OrderCreateResponse.from_message(reply)

    def _created_before(self, req: OrderCreateRequest,
                        deadline: float) -> OrderCreateResponse | None:
        """The bank's order for req.OrderNo, if it made one for this amount and method."""
        try:
            reply = self._call("OrderQuery", {"ShopNo": self.shop_no, "OrderNo": req.OrderNo},
                               order_no=req.OrderNo, retry=False, deadline=deadline)
        except SinoPacError:
            return None
        answer = OrderQueryResponse.from_message(reply)
        for item in answer.OrderList:
            # §11.2 pitfall 11: sandbox shops are shared, so an OrderNo alone proves little.
            if (item.OrderNo, item.Amount, item.PayType, item.Param1) == \
                    (req.OrderNo, req.Amount, req.PayType, req.Param1):
                return OrderCreateResponse.from_query_item(item, self.shop_no,
                                                           answer.Description)
        return None

    def order_query(self, order_no: str | None = None, *, pay_type: str | None = None,
                    order_date_from: str | None = None, order_date_to: str | None = None,
                    pay_flag: str | None = None) -> OrderQueryResponse:
        """List orders by OrderNo, PayType, order time (yyyyMMddHHmm) or PayFlag (§8.3)."""
        criteria = {"OrderNo": order_no, "PayType": pay_type, "OrderDateTimeS": order_date_from,
                    "OrderDateTimeE": order_date_to, "PayFlag": pay_flag}
        if all(value is None for value in criteria.values()):
            raise ValueError("order_query needs at least one criterion")
        message = {"ShopNo": self.shop_no,
                   **{key: value for key, value in criteria.items() if value is not None}}
        reply = self._call("OrderQuery", message, order_no=order_no, retry=True)
        return OrderQueryResponse.from_message(reply)

    def order_pay_query(self, pay_token: str, *,
                        within: float | None = None) -> OrderPayQueryResponse:
        """Fetch a payment result by PayToken, in at most `within` seconds if given;
        the caller decides on TSResultContent.Status."""
        message = {"ShopNo": self.shop_no, "PayToken": pay_token}
        deadline = None if within is None else time.monotonic() + within
        reply = self._call("OrderPayQuery", message, retry=True, deadline=deadline)
        return OrderPayQueryResponse.from_message(reply)

    def order_maintain(self, order_no: str, command: str = "R", amount: int | None = None,
                       remark: str | None = None) -> OrderMaintainResponse:
        """Refund (R, the default), capture (P) or cancel (C) a card order (§8.3).

        `amount` is whole NT$ (a partial refund; None: all that is left), sent × 100.
        Never retried: it is not idempotent, so after a timeout ask `order_query`
        what the bank already refunded (RefundAmount).
        :raise BankRejectedError: the bank refused; its Description says why.
        """
        message = {"ShopNo": self.shop_no, "OrderNo": order_no, "Command": command}
        if amount is not None:
            message["Amount"] = to_minor(amount)
        if remark is not None:
            message["Remark"] = remark
        reply = self._call("OrderMaintain", message, order_no=order_no, retry=False)
        return OrderMaintainResponse.from_message(reply)

    def _call(self, service: str, message: dict, *, order_no: str | None = None,
              retry: bool, deadline: float | None = None) -> dict:
        """Run one service with the retry policy, within `deadline` (time.monotonic) if given;
        return the verified reply object.

        :raise BankRejectedError: the reply's Status is not S.
        """
        retries_left, delay = (MAX_RETRIES if retry else 0), self.retry_backoff
        while True:
            try:
                reply = self._logged_call(service, message, order_no, deadline)
                break
            except BankConnectionError as exc:
                # Like stripe's _should_retry: connection errors and timeouts only, never 5xx.
                if not (exc.should_retry and retries_left) or \
                        _seconds_left(deadline) < delay + MIN_CALL_SECONDS:
                    raise
                log.warning("event=bank_retry bank_service=%s order_no=%s retries_left=%d",
                            service, order_no or "-", retries_left)
                retries_left -= 1
                time.sleep(delay)
                delay *= 2
        if reply.get("Status") != "S":
            # §11.1: business errors come signed, with Status F and a coded Description.
            raise BankRejectedError(reply.get("Description") or "rejected without Description",
                                    status=reply.get("Status"), order_no=order_no)
        return reply

    def _logged_call(self, service: str, message: dict, order_no: str | None,
                     deadline: float | None) -> dict:
        started = time.monotonic()
        status = "-"
        try:
            reply = self._call_once(service, message, deadline)
            status = reply.get("Status") or "-"
            return reply
        except SinoPacError as exc:
            exc.order_no = exc.order_no or order_no
            status = f"{exc.status or '-'} error={type(exc).__name__}"
            raise
        finally:
            elapsed_ms = round((time.monotonic() - started) * 1000)
            log.info("event=bank_call bank_service=%s order_no=%s status=%s elapsed_ms=%d",
                     service, order_no or "-", status, elapsed_ms)

    def _call_once(self, service: str, message: dict, deadline: float | None) -> dict:
        if _seconds_left(deadline) < MIN_CALL_SECONDS:
            raise BankConnectionError(f"no time left for {service}", should_retry=False)
        nonce = self._nonce(deadline)
        envelope = {
            "Version": API_VERSION,
            "ShopNo": self.shop_no,
            "APIService": service,
            "Sign": crypto.sign(message, nonce, self._hash_id),
            "Nonce": nonce,
            "Message": crypto.encrypt(crypto.dumps(message), self._hash_id, nonce),
        }
        return self._open(self._post("/Order", envelope, deadline))

    def _nonce(self, deadline: float | None) -> str:
        # §1.3: a fresh nonce per call.
        body = self._post("/Nonce", {"ShopNo": self.shop_no}, deadline)
        nonce = body.get("Nonce")
        if not isinstance(nonce, str) or not nonce:
            raise _rejection(body)
        return nonce

    def _post(self, path: str, obj: dict, deadline: float | None) -> dict:
        """POST JSON with X-KeyID (§1.2); return the JSON object answered with HTTP 200."""
        timeout = max(0.1, min(self.timeout, _seconds_left(deadline)))
        try:
            resp = self._session.post(
                self.base_url + path,
                data=crypto.dumps(obj).encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8",
                         "X-KeyID": self._x_key_id},
                timeout=timeout,
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise BankConnectionError(f"{type(exc).__name__} calling {path}") from None
        if resp.status_code >= 500:
            raise BankConnectionError(f"HTTP {resp.status_code} from {path}", should_retry=False)
        try:
            # §11.2 pitfall 15: decode as UTF-8 ourselves, whatever the headers say.
            body = json.loads(resp.content.decode("utf-8"))
        except ValueError:
            raise BankConnectionError(f"non-JSON answer (HTTP {resp.status_code}) from {path}",
                                      should_retry=False) from None
        if not isinstance(body, dict):
            raise BankConnectionError(f"unexpected JSON from {path}", should_retry=False)
        if resp.status_code != 200:
            raise _rejection(body, f"HTTP {resp.status_code} from {path}")
        return body

    def _open(self, envelope: dict) -> dict:
        """Decrypt and verify the bank's reply (§9)."""
        nonce, message_hex = envelope.get("Nonce"), envelope.get("Message")
        if not isinstance(nonce, str) or not isinstance(message_hex, str) \
                or not nonce or not message_hex:
            # §11.1: an envelope rejection has Status/Description but no Message/Nonce.
            raise _rejection(envelope)
        try:
            # §3: the reply's IV comes from the reply's own nonce.
            reply = json.loads(crypto.decrypt(message_hex, self._hash_id, nonce))
        except ValueError:
            raise BankSignatureError("reply Message does not decrypt") from None
        if not isinstance(reply, dict) or \
                not crypto.verify(reply, nonce, self._hash_id, envelope.get("Sign", "")):
            raise BankSignatureError("reply Sign does not verify")
        return reply


def _seconds_left(deadline: float | None) -> float:
    return float("inf") if deadline is None else deadline - time.monotonic()


def _rejection(body: dict, fallback: str = "rejected without Description") -> BankRejectedError:
    """Build the error for a bank answer that carries no Message (§11.1)."""
    description = body.get("Description")
    return BankRejectedError(description if isinstance(description, str) and description
                             else fallback, status=body.get("Status"))
