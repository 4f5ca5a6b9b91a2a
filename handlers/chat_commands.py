"""Turn what a shopper types into one command record."""
import re
import unicodedata
from dataclasses import dataclass

from models import limits


@dataclass(frozen=True)
class ShowProducts:
    page: int = 1


@dataclass(frozen=True)
class ShowCart:
    pass


@dataclass(frozen=True)
class ChangeCart:
    product_id: int
    amount: int
    relative: bool


@dataclass(frozen=True)
class Checkout:
    pass


@dataclass(frozen=True)
class ShowOrders:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class SetRecipient:
    name: str
    phone: str
    address: str


@dataclass(frozen=True)
class Malformed:
    """A known command word written wrongly: answer with how to write it."""
    usage_key: str


@dataclass(frozen=True)
class Unknown:
    text: str


WORDS = {
    "商品": ShowProducts, "products": ShowProducts, "menu": ShowProducts, "菜單": ShowProducts,
    "購物車": ShowCart, "cart": ShowCart,
    "結帳": Checkout, "checkout": Checkout, "下單": Checkout,
    "訂單": ShowOrders, "orders": ShowOrders,
    "說明": Help, "help": Help, "?": Help, "？": Help,
}
CART = re.compile(r"^(?:cart|購物車)\s+(\S+)\s+(\S+)$", re.IGNORECASE)
# Control characters (U+0000 above all) can't be stored or shown; newlines and tabs stay.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CART_WORD = re.compile(r"^(?:cart|購物車)(?:\s|$)")
PHONE_LIKE = re.compile(r"^\+?[\d\-()]{8,}$")
RECIPIENT = re.compile(r"^(?:收件|address)(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)


def parse(text: str):
    """The command a message asks for; never raises."""
    # NFKC folds full-width digits and signs (ｃａｒｔ　１　＋２) into ASCII.
    cleaned = CONTROL.sub("", unicodedata.normalize("NFKC", text)).strip()
    lowered = cleaned.lower()
    if lowered in WORDS:
        return WORDS[lowered]()
    recipient = RECIPIENT.match(cleaned)
    if recipient:
        return _recipient(recipient.group(1) or "")
    if CART_WORD.match(lowered):
        return _cart(cleaned)
    return Unknown(text=cleaned[:30])


def _cart(cleaned: str):
    match = CART.match(cleaned)
    if not match:
        return Malformed("cart_usage")
    product, amount = match.group(1), match.group(2)
    product_id = limits.whole(product, 0, limits.MAX_ID)
    value = limits.whole(amount, -limits.MAX_UNITS, limits.MAX_UNITS, signed=True)
    if product_id is None or value is None:
        return Malformed("cart_usage")
    return ChangeCart(product_id=product_id, amount=value, relative=amount[0] in "+-")


def _recipient(rest: str):
    """`name phone address`; the first phone-like word splits them, so names may have spaces."""
    words = rest.split()
    for index, word in enumerate(words):
        if index and PHONE_LIKE.match(word):
            return SetRecipient(" ".join(words[:index]), word, " ".join(words[index + 1:]))
    name, phone = (words + ["", ""])[:2]
    return SetRecipient(name, phone, " ".join(words[2:]))
