"""SinoPac QPay behind the payment interface: ATM virtual accounts ('A') and card pages ('C').

Section numbers refer to shared/refs/sinopac-qpay.md.
"""
import re
from datetime import datetime

from models.order import MAX_TOTAL_FOR, atm_deadline, card_deadline
from models.records import Order, PaymentAttempt, PaymentResult, PayMethod
from providers.base import Lookup, ProviderRefused, ProviderUnavailable, Started
from sinopac.client import QPayClient
from sinopac.errors import BankRejectedError, SinoPacError
from sinopac.records import ATMParam, CardParam, OrderCreateRequest

BANK_CODE = "807"
ATM = PayMethod("atm", "A", "button_pay_atm", MAX_TOTAL_FOR["A"])
CARD = PayMethod("card", "C", "button_pay_card", MAX_TOTAL_FOR["C"])


class SinoPacPayment:
    """One SinoPac way of paying (ATM or card) over a shared QPayClient."""

    def __init__(self, bank: QPayClient, method: PayMethod, *, shop_name: str, return_url: str,
                 backend_url: str, atm_expire_days: int, card_hold_minutes: int):
        self.bank = bank
        self.method = method
        self.refund_method = "atm_transfer" if method.pay_type == "A" else "card"
        # QPay can't refund ATM payments online (E0303): the owner transfers the money.
        self.refunds_online = method.pay_type == "C"
        # OrderMaintain is a Nonce and an Order request, each up to the client's timeout.
        self.refund_call_seconds = 2 * bank.timeout
        self._shop_name = shop_name
        self._return_url = return_url
        self._backend_url = backend_url
        self._atm_expire_days = atm_expire_days
        self._card_hold_minutes = card_hold_minutes

    def start(self, order: Order, attempt: PaymentAttempt, now: datetime) -> Started:
        """OrderCreate (§7) for our attempt; a retried attempt reuses its OrderNo (idempotent)."""
        atm = self.method.pay_type == "A"
        expire_date, atm_ends = atm_deadline(now, self._atm_expire_days)
        request = OrderCreateRequest(
            OrderNo=attempt.order_no, Amount=attempt.amount, PayType=self.method.pay_type,
            PrdtName=_product_name(self._shop_name, order.id),
            ReturnURL=self._return_url, BackendURL=self._backend_url,
            ATMParam=ATMParam(ExpireDate=expire_date) if atm else None,
            CardParam=None if atm else CardParam(AutoBilling="Y", ExpMinutes=30),
            Param1=str(order.id))
        created = _call(self.bank.order_create, request)
        return Started(
            ts_no=created.TSNo, description=created.Description,
            hold_until=atm_ends if atm else card_deadline(now, self._card_hold_minutes),
            atm_bank_code=BANK_CODE if atm else None, atm_pay_no=created.AtmPayNo,
            atm_expire_date=expire_date if atm else None, atm_web_url=created.WebAtmURL,
            card_url=created.CardPayURL)

    def settle_notice(self, pay_token: str, within: float | None = None) -> PaymentResult:
        """The result behind a notice's PayToken (OrderPayQuery, §8.2: decide on TSResultContent).

        :raise SinoPacError: unknown token, bad Sign or no answer (the notice queue decides).
        """
        content = self.bank.order_pay_query(pay_token, within=within).TSResultContent
        return PaymentResult(order_no=content.OrderNo, paid=content.Status == "S",
                             amount=content.Amount, ts_no=content.TSNo,
                             description=content.Description or None, pay_date=content.PayDate)

    def look_up(self, attempt: PaymentAttempt) -> Lookup:
        """OrderQuery (§9): a paid result when the bank has one; unpaid ones are left as they are."""
        item = self._query(attempt)
        if item is None or not item.is_paid:
            return Lookup()
        return Lookup(PaymentResult(order_no=item.OrderNo, paid=True, amount=item.Amount,
                                    ts_no=item.TSNo, pay_date=item.PayDate))

    def refund(self, attempt: PaymentAttempt, amount: int, remark: str | None) -> str:
        """OrderMaintain 'R' (§10) for a card payment."""
        answer = _call(self.bank.order_maintain, attempt.order_no, "R", amount=amount,
                       remark=_remark(remark))
        return answer.Description

    def refunded(self, attempt: PaymentAttempt) -> int | None:
        """OrderQuery's RefundAmount for the attempt (None: the bank has no such order)."""
        item = self._query(attempt)
        return item.RefundAmount if item else None

    def _query(self, attempt: PaymentAttempt):
        answer = _call(self.bank.order_query, order_no=attempt.order_no)
        return next((i for i in answer.OrderList if i.OrderNo == attempt.order_no), None)


def _call(method, *args, **kwargs):
    """Call the bank, turning its errors into the interface's."""
    try:
        return method(*args, **kwargs)
    except BankRejectedError as error:
        raise ProviderRefused(error.description or "") from None
    except SinoPacError as error:
        raise ProviderUnavailable(str(error)) from None


def _product_name(shop_name: str, order_id: int) -> str:
    # §7.1: PrdtName ≤ 60 characters and free of ' " %.
    return re.sub(r"['\"%]", "", f"{shop_name} 訂單 #{order_id}")[:60]


def _remark(reason: str | None) -> str | None:
    # OrderMaintain's Remark: like PrdtName, free of ' " % (§7.1), kept short.
    return re.sub(r"['\"%]", "", reason or "").strip()[:60] or None
