"""The order a client posts to the API, checked before anything is touched.

Every problem is named under the key a form would use (`products[1].count`, `recipient.phone`),
not just the first one, so a page can mark each field at once.
"""
import re
from dataclasses import dataclass

from models.cart import MAX_LINE_QUANTITY
from models.errors import InvalidOrderRequest
from models.records import Product, Recipient
from models.texts import t

MAX_ITEMS = 100
MAX_ID = 2**31 - 1
NAME_LENGTH = (1, 50)
ADDRESS_LENGTH = (5, 200)
TAIWAN_MOBILE = re.compile(r"09\d{8}")
# Spaces and dashes people type inside a phone number (0912-345-678).
PHONE_SEPARATORS = re.compile(r"[\s\-]")


@dataclass(frozen=True)
class RequestedLine:
    product_id: int
    count: int


@dataclass(frozen=True)
class OrderRequest:
    lines: tuple[RequestedLine, ...]
    recipient: Recipient | None  # None: use the one saved in the chat


def _positive_int(value, limit: int) -> bool:
    # JSON booleans arrive as Python bools, which are ints: refuse them explicitly.
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= limit


def _lines(products, language: str | None, problems: dict) -> list[RequestedLine]:
    if products is None:
        problems["products"] = t("api_required", language)
        return []
    if not isinstance(products, list) or not 1 <= len(products) <= MAX_ITEMS:
        problems["products"] = t("api_products_list", language, limit=MAX_ITEMS)
        return []
    lines, seen = [], set()
    for i, item in enumerate(products):
        key = f"products[{i}]"
        if not isinstance(item, dict):
            problems[key] = t("api_object", language)
            continue
        product_id, count = item.get("product_id"), item.get("count")
        if "product_id" not in item:
            problems[f"{key}.product_id"] = t("api_required", language)
        elif not _positive_int(product_id, MAX_ID):
            problems[f"{key}.product_id"] = t("api_positive_integer", language)
        elif product_id in seen:
            problems[f"{key}.product_id"] = t("api_repeated_product", language)
        if "count" not in item:
            problems[f"{key}.count"] = t("api_required", language)
        elif not _positive_int(count, MAX_LINE_QUANTITY):
            problems[f"{key}.count"] = t("api_count", language, limit=MAX_LINE_QUANTITY)
        if _positive_int(product_id, MAX_ID):
            seen.add(product_id)
        lines.append(RequestedLine(product_id, count))
    return lines


def _text(value, bounds: tuple[int, int], key: str, language: str | None,
          problems: dict) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else None
    if not text:
        problems[key] = t("api_required", language)
    elif not bounds[0] <= len(text) <= bounds[1]:
        problems[key] = t("api_length", language, low=bounds[0], high=bounds[1])
    return text or ""


def _recipient(value, language: str | None, problems: dict) -> Recipient | None:
    if not isinstance(value, dict):
        problems["recipient"] = t("api_object", language)
        return None
    name = _text(value.get("name"), NAME_LENGTH, "recipient.name", language, problems)
    address = _text(value.get("address"), ADDRESS_LENGTH, "recipient.address", language,
                    problems)
    phone = value.get("phone")
    phone = PHONE_SEPARATORS.sub("", phone) if isinstance(phone, str) else ""
    if not TAIWAN_MOBILE.fullmatch(phone):
        problems["recipient.phone"] = t("api_phone", language)
    return Recipient(name, phone, address)


def parse_order_request(body, language: str | None = None, *,
                        recipient_saved: bool = False) -> OrderRequest:
    """Check a posted order: `{"products": [{"product_id", "count"}, …], "recipient"?}`.

    `recipient` may be left out only when the shopper saved one in the chat (`recipient_saved`).
    :raise InvalidOrderRequest: naming every problem.
    """
    if not isinstance(body, dict):
        raise InvalidOrderRequest({"body": t("api_object", language)})
    problems: dict[str, str] = {}
    lines = _lines(body.get("products"), language, problems)
    recipient = None
    if body.get("recipient") is not None:
        recipient = _recipient(body["recipient"], language, problems)
    elif not recipient_saved:
        problems["recipient"] = t("api_required", language)
    if problems:
        raise InvalidOrderRequest(problems)
    return OrderRequest(tuple(lines), recipient)


@dataclass(frozen=True)
class LineStatus:
    """One requested line against the shop's stock (the API's 409 answer)."""
    product_id: int
    name: str | None  # None: no such product for sale
    count: int
    have_stock: bool
    total_price: int


def line_statuses(lines: tuple[RequestedLine, ...], products: list[Product],
                  not_reserved: frozenset[int] = frozenset()) -> list[LineStatus]:
    """Each line's status; a line has stock when its product is for sale with `count` units left.

    `not_reserved` marks lines whose stock a concurrent order took first.
    """
    by_id = {product.id: product for product in products if product.active}
    statuses = []
    for line in lines:
        product = by_id.get(line.product_id)
        if product is None:
            statuses.append(LineStatus(line.product_id, None, line.count, False, 0))
            continue
        enough = product.stock >= line.count and product.id not in not_reserved
        statuses.append(LineStatus(product.id, product.name, line.count, enough,
                                   product.price * line.count))
    return statuses
