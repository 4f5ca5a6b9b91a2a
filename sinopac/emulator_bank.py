"""The emulated bank's services: check a decrypted request, build the reply object.

Codes are ours (no public E-code table exists, §11.1/§15); only E0602 and the
"S0000 – 處理成功" text are the bank's own. All use the U+2013 dash.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from .emulator_state import EmulatedOrder, EmulatorState, Refund, bank_date, now_taipei

SUCCESS = "S0000 – 處理成功"
MISSING_FIELD = "E0201 – 必要欄位未填"
DUPLICATE_ORDER = "E0202 – 訂單編號重複"
FORBIDDEN_CHARS = "E0203 – 欄位含有不允許的字元"
BAD_AMOUNT = "E0204 – 金額不正確"
BAD_EXPIRE_DATE = "E0205 – 繳費期限不正確"
BAD_DAY_RANGE = "E0206 – 日期範圍不正確"
BAD_COMMAND = "E0207 – 維護指令不正確"
SHOP_MISMATCH = "E0208 – 商店代號不符"
NOT_FOUND = "E0301 – 查無交易資料"
BAD_ORDER_STATE = "E0302 – 訂單狀態不允許此操作"
ATM_NOT_REFUNDABLE = "E0303 – ATM 交易無法線上退款"
METHOD_DISABLED = "E0602 – 收款方式未啟用"

_FORBIDDEN = re.compile(r"['\"%]")
ATM_MAX_AMOUNT = 3_000_000  # §12: ATM Amount ≤ NT$30 000 (minor units)
MAX_QUERY_ROWS = 300  # §8.3


class Refusal(Exception):
    """A business failure: the reply carries Status F and this Description."""


def handle(state: EmulatorState, shop_no: str, service: str, message: dict,
           public_url: str) -> dict:
    """Run one service for `shop_no`; return the reply object to sign and encrypt."""
    try:
        if message.get("ShopNo") != shop_no:
            raise Refusal(SHOP_MISMATCH)
        return SERVICES[service](state, shop_no, message, public_url)
    except Refusal as exc:
        head = {key: message[key] for key in ("OrderNo", "PayToken") if message.get(key)}
        return {**head, "ShopNo": shop_no, "Date": bank_date(now_taipei()),
                "Status": "F", "Description": str(exc)}


def _require(message: dict, *names: str) -> None:
    for name in names:
        if message.get(name) in (None, ""):
            raise Refusal(f"{MISSING_FIELD}: {name}")


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10 ** 9


def _check_create(message: dict) -> None:
    """Mimic the bank's OrderCreate validation (§7.1, §12)."""
    _require(message, "OrderNo", "Amount", "PayType", "PrdtName", "BackendURL")
    texts = [message.get(name) or "" for name in ("OrderNo", "PrdtName", "Memo",
                                                   "Param1", "Param2", "Param3")]
    if any(_FORBIDDEN.search(str(text)) for text in texts):
        raise Refusal(FORBIDDEN_CHARS)
    amount = message["Amount"]
    if isinstance(amount, str) and amount.isdigit():
        amount = int(amount)  # §7.1: some clients send it as a string; same value
    if not _positive_int(amount) or message.get("CurrencyID", "TWD") != "TWD":
        raise Refusal(BAD_AMOUNT)
    message["Amount"] = amount
    if message["PayType"] == "A":
        _check_atm(message)
    elif message["PayType"] == "C":
        _require(message, "ReturnURL")
        _check_card(message.get("CardParam") or {})
    else:
        raise Refusal(METHOD_DISABLED)


def _check_atm(message: dict) -> None:
    if message["Amount"] > ATM_MAX_AMOUNT:
        raise Refusal(BAD_AMOUNT)
    expire = str((message.get("ATMParam") or {}).get("ExpireDate") or "")
    try:
        day = datetime.strptime(expire, "%Y%m%d").date()
    except ValueError:
        raise Refusal(BAD_EXPIRE_DATE) from None
    # strptime also takes "2025011"; the bank wants exactly yyyyMMdd, today or later.
    if len(expire) != 8 or day < now_taipei().date():
        raise Refusal(BAD_EXPIRE_DATE)


def _check_card(card: dict) -> None:
    if card.get("AutoBilling", "Y") not in ("Y", "N"):
        raise Refusal(f"{MISSING_FIELD}: AutoBilling")
    minutes = card.get("ExpMinutes", 10)
    days = card.get("ExpBillingDays")
    if not _positive_int(minutes) or minutes > 30:
        raise Refusal(BAD_DAY_RANGE)
    # §7.1: the sandbox validates ExpBillingDays 1–7; needed when AutoBilling is N.
    if (days is not None or card.get("AutoBilling") == "N") \
            and not (_positive_int(days) and days <= 7):
        raise Refusal(BAD_DAY_RANGE)
    if card.get("PayTypeSub", "ONE") != "ONE":
        raise Refusal(METHOD_DISABLED)


def _params(message: dict) -> dict:
    # §7.2: Param1..3 come back only when the request carried them.
    return {name: message[name] for name in ("Param1", "Param2", "Param3") if name in message}


def order_create(state: EmulatorState, shop_no: str, message: dict, public_url: str) -> dict:
    """OrderCreate (§7): store the order, answer TSNo and the pay links."""
    _check_create(message)
    order = state.add_order(shop_no, message)
    if order is None:
        # A retried OrderCreate with the same OrderNo can never make a second order.
        raise Refusal(DUPLICATE_ORDER)
    reply = {"OrderNo": order.order_no, "ShopNo": shop_no, "TSNo": order.ts_no,
             "Amount": order.amount, "Status": "S", "Description": SUCCESS,
             **_params(message), "PayType": order.pay_type}
    reply.update(_pay_links(order, public_url))
    return reply


def _pay_links(order: EmulatedOrder, public_url: str) -> dict:
    if order.pay_type == "A":
        atm_url = f"{public_url}/atm/transfer?AtmPayNo={order.atm_pay_no}"
        return {"ATMParam": {"AtmPayNo": order.atm_pay_no, "WebAtmURL": atm_url,
                             "OtpURL": atm_url}}
    return {"CardParam": {"CardPayURL": f"{public_url}/card/{order.ts_no}?TK={order.card_token}"}}


def order_query(state: EmulatorState, shop_no: str, message: dict, public_url: str) -> dict:
    """OrderQuery (§8.3): list the shop's orders matching every given criterion."""
    criteria = ("OrderNo", "PayType", "OrderDateTimeS", "OrderDateTimeE", "PayFlag")
    if not any(message.get(name) for name in criteria):
        raise Refusal(f"{MISSING_FIELD}: OrderNo")

    def matches(order: EmulatedOrder) -> bool:
        created = bank_date(order.created)
        return (order.shop_no == shop_no
                and message.get("OrderNo") in (None, "", order.order_no)
                and message.get("PayType") in (None, "", order.pay_type)
                and created >= message.get("OrderDateTimeS", "")
                and created <= message.get("OrderDateTimeE", "999999999999")
                and message.get("PayFlag") in (None, "", "Y" if order.paid else "N"))

    with state.lock:
        rows = [_query_row(o, public_url) for o in state.orders.values() if matches(o)]
    return {"ShopNo": shop_no, "Date": bank_date(now_taipei()), "Status": "S",
            "Description": SUCCESS, "OrderList": rows[:MAX_QUERY_ROWS]}


def _query_row(order: EmulatedOrder, public_url: str) -> dict:
    message = order.message
    if order.pay_type == "A":
        expire = message["ATMParam"]["ExpireDate"] + "2359"
    else:
        minutes = (message.get("CardParam") or {}).get("ExpMinutes", 10)
        expire = bank_date(order.created + timedelta(minutes=minutes))
    row = {"OrderNo": order.order_no, "TSNo": order.ts_no, "TSDate": bank_date(order.created),
           "PayDate": order.pay_date or "", "Amount": order.amount, "PayType": order.pay_type,
           "PayStatus": order.pay_status(), "ExpireDate": expire,
           "RefundFlag": "Y" if order.refunds else "N",
           # RefundStatus: our own codes (no public table, §8.3): "R" partly, "A" all refunded.
           "RefundStatus": _refund_status(order),
           "RefundDate": order.refunds[-1].date if order.refunds else "",
           "RefundAmount": order.refunded_amount,
           "PrdtName": message["PrdtName"], **_params(message)}
    row.update(_pay_links(order, public_url))
    return row


def _refund_status(order: EmulatedOrder) -> str:
    if not order.refunds:
        return ""
    return "A" if order.refunded_amount >= order.amount else "R"


def order_pay_query(state: EmulatorState, shop_no: str, message: dict, public_url: str) -> dict:
    """OrderPayQuery (§8.2): the payment attempt behind a PayToken."""
    _require(message, "PayToken")
    found = state.find_payment(shop_no, message["PayToken"])
    if found is None:
        raise Refusal(NOT_FOUND)
    order, payment = found
    # §8.2: Amount is a string here; ATM results carry no Param/CC fields.
    content = {"APType": "PayOut", "TSNo": order.ts_no, "OrderNo": order.order_no,
               "ShopNo": shop_no, "PayType": order.pay_type, "Amount": str(order.amount),
               "Status": payment.status, "Description": payment.description}
    if order.pay_type == "C":
        content.update({"Param1": "", "Param2": "", "Param3": "", **_params(order.message),
                        "LeftCCNo": "424242", "RightCCNo": "4242", "CCExpDate": "3012",
                        "CCToken": ""})
    content["PayDate"] = payment.pay_date or ""
    return {"ShopNo": shop_no, "PayToken": payment.pay_token, "Date": bank_date(now_taipei()),
            "Status": "S", "Description": SUCCESS, "TSResultContent": content}


def order_maintain(state: EmulatorState, shop_no: str, message: dict, public_url: str) -> dict:
    """OrderMaintain (§8.3): capture P, cancel C or refund R of a paid card order.

    R takes a partial Amount (minor units, whole NT$) up to what is left; ATM
    orders cannot be refunded through the API (the shop transfers the money back).
    """
    _require(message, "OrderNo", "Command")
    command = message["Command"]
    if command not in ("P", "C", "R"):
        raise Refusal(BAD_COMMAND)
    if _FORBIDDEN.search(str(message.get("Remark") or "")):
        raise Refusal(FORBIDDEN_CHARS)
    try:
        order = state.find_order(message["OrderNo"], shop_no)
    except KeyError:
        raise Refusal(NOT_FOUND) from None
    refusal = state.take_refusal()
    if refusal:
        raise Refusal(refusal)
    with state.lock:
        left = order.amount - order.refunded_amount
        if order.pay_type == "A":
            raise Refusal(ATM_NOT_REFUNDABLE)
        if not order.paid or left <= 0:
            raise Refusal(BAD_ORDER_STATE)
        amount = message.get("Amount", left) if command == "R" else left
        if not _positive_int(amount) or amount % 100 or amount > left:
            raise Refusal(BAD_AMOUNT)
        if command in ("C", "R"):
            order.refunds.append(Refund(command, amount, bank_date(now_taipei()),
                                        message.get("Remark")))
    return {"OrderNo": order.order_no, "ShopNo": shop_no, "TSNo": order.ts_no,
            "Command": command, "Amount": amount, "Date": bank_date(now_taipei()),
            "Status": "S", "Description": SUCCESS}


SERVICES = {
    "OrderCreate": order_create,
    "OrderQuery": order_query,
    "OrderPayQuery": order_pay_query,
    "OrderMaintain": order_maintain,
}
