"""Turn postback data (from our own buttons) into one command record."""
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from handlers.chat_commands import ChangeCart, Checkout, ShowCart, ShowOrders, ShowProducts
from models import limits

# A payment button's method name; whether it is offered is the providers' business.
METHOD_NAME = re.compile(r"[a-z]{1,20}")


@dataclass(frozen=True)
class Pay:
    order_id: int
    method: str  # 'atm', 'card' or 'linepay'


@dataclass(frozen=True)
class CancelOrder:
    order_id: int


@dataclass(frozen=True)
class ShowProduct:
    product_id: int


@dataclass(frozen=True)
class DropUnavailable:
    """Remove the cart lines of products taken off sale (offered when checkout meets them)."""


@dataclass(frozen=True)
class BadPostback:
    pass


def parse(data: str):
    """The command a postback carries; anything we didn't write ourselves is BadPostback."""
    try:
        fields = parse_qs(data, strict_parsing=True, max_num_fields=5)
    except ValueError:
        return BadPostback()
    if any(len(values) != 1 for values in fields.values()):
        return BadPostback()
    params = {key: values[0] for key, values in fields.items()}
    action = params.pop("action", None)
    try:
        return _build(action, params)
    except (KeyError, ValueError):
        return BadPostback()


def _id(params: dict, name: str) -> int:
    value = limits.whole(params[name], 1, limits.MAX_ID)
    if value is None:
        raise ValueError(name)
    return value


def _build(action: str | None, params: dict):
    if action == "buy":
        return Checkout()
    if action == "cart":
        return ShowCart()
    if action == "orders":
        return ShowOrders()
    if action == "drop_unavailable":
        return DropUnavailable()
    if action == "products":
        return ShowProducts(page=_id(params, "page") if "page" in params else 1)
    if action == "detail":
        return ShowProduct(product_id=_id(params, "product"))
    if action == "pay":
        if not METHOD_NAME.fullmatch(params["method"]):
            raise ValueError("method")
        return Pay(order_id=_id(params, "order"), method=params["method"])
    if action == "cancel":
        return CancelOrder(order_id=_id(params, "order"))
    if action in ("add", "inc", "dec", "remove"):
        product_id = _id(params, "product")
        amount = {"add": 1, "inc": 1, "dec": -1, "remove": 0}[action]
        return ChangeCart(product_id=product_id, amount=amount, relative=action != "remove")
    raise ValueError(action)
