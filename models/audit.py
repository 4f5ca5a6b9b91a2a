"""The audit trail's vocabulary: who acted, the action names, and how a recorded change reads."""
from dataclasses import dataclass
from datetime import datetime

LOGIN = "login"
LOGIN_FAILED = "login_failed"
API_TOKEN_CREATED = "api_token_created"
PRODUCT_CREATED = "product_created"
PRODUCT_UPDATED = "product_updated"
PRODUCT_HIDDEN = "product_hidden"
PRODUCT_SHOWN = "product_shown"
STOCK_ADJUSTED = "stock_adjusted"
ORDER_SHIPPED = "order_shipped"
ORDER_CANCELLED = "order_cancelled"
# For refunds: db.audit.record(cur, actor, ORDER_REFUNDED, "order", order_id,
#   before={"refunded": 0}, after={"refunded": 300, "reason": "…"}) inside the refund's transaction.
ORDER_REFUNDED = "order_refunded"

ACTIONS = {
    LOGIN: "登入 Login", LOGIN_FAILED: "登入失敗 Failed login",
    API_TOKEN_CREATED: "建立 API token", PRODUCT_CREATED: "新增商品 Product created",
    PRODUCT_UPDATED: "編輯商品 Product edited", PRODUCT_HIDDEN: "隱藏商品 Product hidden",
    PRODUCT_SHOWN: "上架商品 Product shown", STOCK_ADJUSTED: "調整庫存 Stock adjusted",
    ORDER_SHIPPED: "出貨 Shipped", ORDER_CANCELLED: "取消訂單 Cancelled",
    ORDER_REFUNDED: "退款 Refunded",
}
ENTITIES = {"admin": "管理者 Owner", "product": "商品 Product", "order": "訂單 Order"}
VIA = ("web", "api", "cli")


@dataclass(frozen=True)
class Actor:
    """Who did it: an owner through a session ("web") or their API token ("api"), or a shell."""
    admin_id: int | None
    name: str  # the owner's email, or "cli"
    via: str

    @classmethod
    def owner(cls, admin: dict, via: str = "web") -> "Actor":
        return cls(admin["id"], admin["email"], via)

    @classmethod
    def cli(cls) -> "Actor":
        return cls(None, "cli", "cli")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    admin_id: int | None
    actor: str
    via: str
    action: str
    entity_type: str
    entity_id: int | None
    before: dict | None
    after: dict | None

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field either side mentions (in jsonb's key order)."""
        before, after = self.before or {}, self.after or {}
        return [(key, before.get(key), after.get(key)) for key in dict.fromkeys([*before, *after])]


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields whose value differs, as (before, after)."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def product_edit_action(was_active: bool, is_active: bool) -> str:
    """An edit that flips visibility is recorded as hiding or showing; any other as an edit."""
    if was_active == is_active:
        return PRODUCT_UPDATED
    return PRODUCT_SHOWN if is_active else PRODUCT_HIDDEN


def bounded_page(raw: str | None, pages: int) -> int:
    """A page number from a query argument: not a plain number → page 1, past the end → the last."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    text = text.lstrip("0") or "0"
    # Compare by length first: a thousand-digit number must not reach int().
    if len(text) > len(str(pages)):
        return pages
    return min(max(1, int(text)), pages)
