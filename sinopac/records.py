"""Request and reply records, spelled as the bank spells its fields (§7, §8).

Amounts are whole NT$ (int) in every record; the bank counts minor units
(NT$ × 100, §7.1), converted only by `to_minor` / `from_minor` below.
"""
# Postponed annotations: fields are named like their types (ATMParam: ATMParam).
from __future__ import annotations

from dataclasses import dataclass, field, fields

# §8.3: PayStatus codes that mean the money arrived (1A400 ATM paid;
# 1C300/1C400 card authorised-and-captured / settled, "paid-like" per ECLADO).
PAID_PAY_STATUSES = frozenset({"1A400", "1C300", "1C400"})


def to_minor(amount: int) -> int:
    """Return whole NT$ as the bank's minor units (§7.1: NT$ × 100)."""
    return int(amount) * 100


def from_minor(value) -> int:
    """Return the bank's minor units (int or string, §11.2 pitfall 1) as whole NT$."""
    return int(value) // 100


def _optional_minor(value) -> int | None:
    return None if value in (None, "") else from_minor(value)


def _pick(cls, data: dict) -> dict:
    """Keep only the keys `cls` declares, so extra bank fields never break parsing."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _compact(data: dict) -> dict:
    # §5: the official serializer omits nulls; an unset field is not sent at all.
    return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class ATMParam:
    """ATM virtual-account options; ExpireDate is the last pay day, yyyyMMdd."""

    ExpireDate: str


@dataclass(frozen=True)
class CardParam:
    """Credit-card options (§7.1); the sandbox accepts PayTypeSub ONE only."""

    AutoBilling: str = "Y"
    ExpMinutes: int = 30
    ExpBillingDays: int | None = None
    PayTypeSub: str = "ONE"


@dataclass(frozen=True)
class OrderCreateRequest:
    """An OrderCreate call; ShopNo is added by the client."""

    OrderNo: str
    Amount: int
    PayType: str
    PrdtName: str
    ReturnURL: str
    BackendURL: str
    ATMParam: ATMParam | None = None
    CardParam: CardParam | None = None
    Memo: str | None = None
    Param1: str | None = None
    Param2: str | None = None
    Param3: str | None = None
    CurrencyID: str = "TWD"

    def to_message(self, shop_no: str) -> dict:
        """Return the business object in §7.1 order, Amount in minor units."""
        return _compact({
            "ShopNo": shop_no,
            "OrderNo": self.OrderNo,
            "Amount": to_minor(self.Amount),
            "CurrencyID": self.CurrencyID,
            "PayType": self.PayType,
            "ATMParam": _compact(vars(self.ATMParam)) if self.ATMParam else None,
            "CardParam": _compact(vars(self.CardParam)) if self.CardParam else None,
            "PrdtName": self.PrdtName,
            "ReturnURL": self.ReturnURL,
            "BackendURL": self.BackendURL,
            "Memo": self.Memo,
            "Param1": self.Param1,
            "Param2": self.Param2,
            "Param3": self.Param3,
        })


@dataclass(frozen=True)
class OrderCreateResponse:
    """The bank's OrderCreate reply (§7.2), flattened: the pay links sit at top level."""

    OrderNo: str
    ShopNo: str
    TSNo: str
    Amount: int
    Status: str
    Description: str
    PayType: str
    AtmPayNo: str | None = None
    WebAtmURL: str | None = None
    OtpURL: str | None = None
    CardPayURL: str | None = None
    Param1: str | None = None
    Param2: str | None = None
    Param3: str | None = None

    @classmethod
    def from_message(cls, msg: dict) -> "OrderCreateResponse":
        """Build from the decrypted reply; ATMParam/CardParam hold the pay links."""
        links = {**(msg.get("ATMParam") or {}), **(msg.get("CardParam") or {})}
        data = {**_pick(cls, msg), **_pick(cls, links)}
        data["Amount"] = from_minor(msg["Amount"])
        return cls(**data)


    @classmethod
    def from_query_item(cls, item: "OrderQueryItem", shop_no: str,
                        description: str) -> "OrderCreateResponse":
        """The answer OrderCreate would have given, rebuilt from OrderQuery's row (§8.3)."""
        links = {**(item.ATMParam or {}), **(item.CardParam or {})}
        return cls(OrderNo=item.OrderNo, ShopNo=shop_no, TSNo=item.TSNo, Amount=item.Amount,
                   Status="S", Description=description, PayType=item.PayType,
                   Param1=item.Param1, Param2=item.Param2, Param3=item.Param3,
                   **_pick(cls, links))


@dataclass(frozen=True)
class TSResultContent:
    """The payment result inside OrderPayQuery (§8.2); decide the payment on Status."""

    OrderNo: str
    Status: str
    APType: str | None = None
    TSNo: str | None = None
    ShopNo: str | None = None
    PayType: str | None = None
    Amount: int | None = None
    Description: str | None = None
    PayDate: str | None = None
    Param1: str | None = None
    Param2: str | None = None
    Param3: str | None = None
    LeftCCNo: str | None = None
    RightCCNo: str | None = None
    CCExpDate: str | None = None
    CCToken: str | None = None

    @classmethod
    def from_message(cls, msg: dict) -> "TSResultContent":
        """Build from the inner object; every field but OrderNo/Status may be absent."""
        data = _pick(cls, msg)
        data["Amount"] = _optional_minor(data.get("Amount"))
        return cls(**data)


@dataclass(frozen=True)
class OrderPayQueryResponse:
    """The OrderPayQuery reply; outer Status is the query's, not the payment's (§8.2)."""

    ShopNo: str
    PayToken: str
    Date: str
    Status: str
    Description: str
    TSResultContent: TSResultContent

    @classmethod
    def from_message(cls, msg: dict) -> "OrderPayQueryResponse":
        """Build from the decrypted reply."""
        data = _pick(cls, msg)
        data["TSResultContent"] = TSResultContent.from_message(msg["TSResultContent"])
        return cls(**data)


@dataclass(frozen=True)
class OrderQueryItem:
    """One row of OrderQuery's OrderList (§8.3)."""

    OrderNo: str
    TSNo: str
    Amount: int
    PayType: str
    PayStatus: str
    PayDate: str | None = None
    ExpireDate: str | None = None
    TSDate: str | None = None
    ApprovedDate: str | None = None
    RefundFlag: str | None = None
    RefundStatus: str | None = None
    RefundDate: str | None = None
    RefundAmount: int | None = None
    PrdtName: str | None = None
    Memo: str | None = None
    Param1: str | None = None
    Param2: str | None = None
    Param3: str | None = None
    ATMParam: dict | None = None
    CardParam: dict | None = None

    @property
    def is_paid(self) -> bool:
        """True once money arrived, by the bank's PayStatus code alone (§8.3).

        A PayDate can come with a status that is not paid (e.g. a refunded or failed order).
        """
        return self.PayStatus in PAID_PAY_STATUSES

    @classmethod
    def from_message(cls, msg: dict) -> "OrderQueryItem":
        """Build from one OrderList entry."""
        data = _pick(cls, msg)
        data["Amount"] = from_minor(msg["Amount"])
        data["RefundAmount"] = _optional_minor(data.get("RefundAmount"))
        return cls(**data)


@dataclass(frozen=True)
class OrderQueryResponse:
    """The OrderQuery reply (§8.3)."""

    ShopNo: str
    Date: str
    Status: str
    Description: str
    OrderList: list[OrderQueryItem] = field(default_factory=list)

    @classmethod
    def from_message(cls, msg: dict) -> "OrderQueryResponse":
        """Build from the decrypted reply."""
        data = _pick(cls, msg)
        data["OrderList"] = [OrderQueryItem.from_message(row) for row in msg.get("OrderList") or []]
        return cls(**data)


@dataclass(frozen=True)
class OrderMaintainResponse:
    """The OrderMaintain reply (§8.3): capture P, cancel C or refund R of a card order."""

    OrderNo: str
    ShopNo: str
    TSNo: str
    Command: str
    Amount: int
    Date: str
    Status: str
    Description: str

    @classmethod
    def from_message(cls, msg: dict) -> "OrderMaintainResponse":
        """Build from the decrypted reply."""
        data = _pick(cls, msg)
        data["Amount"] = from_minor(msg["Amount"])
        return cls(**data)
