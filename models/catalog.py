"""The one catalog rule: what a product may look like, for import-products and the back office."""
from typing import Mapping

from models import limits
from models.admin_errors import InvalidProduct
from models.records import Product

MAX_NAME = 100
MAX_DESCRIPTION = 2000
MAX_URL = 1000  # LINE's limit for image URLs


def parse_product(fields: Mapping[str, object], *, base_url: str | None = None,
                  from_text: bool = False) -> Product:
    """A Product from JSON (`from_text=False`: numbers must be JSON integers) or form fields.

    A missing stock is 0 in a form (the back office sets stock apart) and an error in JSON.
    An image_url starting with / is served by this app: it becomes `base_url` + path. Images
    must be HTTPS (LINE shows no other), except this app's own, served as `base_url` is.
    :raise InvalidProduct: naming the first field that is wrong, in zh-TW and English.
    """
    product_id = _whole(fields.get("id"), "商品編號", "id", 1, limits.MAX_ID, from_text)
    name = fields.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME:
        raise InvalidProduct(f"商品名稱必填，最多 {MAX_NAME} 字（'name' must be a non-empty "
                             f"string of at most {MAX_NAME} characters）。")
    price = _whole(fields.get("price"), "價格", "price", 0, limits.MAX_PRICE, from_text)
    stock = fields.get("stock")
    if from_text and not str(stock or "").strip():
        stock = "0"
    stock = _whole(stock, "庫存", "stock", 0, limits.MAX_UNITS, from_text)
    description = fields.get("description") or ""
    if not isinstance(description, str) or len(description.strip()) > MAX_DESCRIPTION:
        raise InvalidProduct(f"商品說明最多 {MAX_DESCRIPTION} 字（'description' must be a "
                             f"string of at most {MAX_DESCRIPTION} characters）。")
    active = fields.get("active", True) in (True, "on", "true", "1", "y")
    return Product(id=product_id, name=name.strip(), price=price, stock=stock,
                   image_url=_image_url(fields.get("image_url"), base_url),
                   description=description.strip(), active=active)


def parse_catalog(entries, base_url: str | None = None) -> list[Product]:
    """Validate a JSON catalog (a list of objects) into Products.

    :raise InvalidProduct: on the first bad entry, naming it.
    """
    if not isinstance(entries, list):
        raise InvalidProduct("the catalog must be a JSON array of products")
    parsed, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        if not isinstance(entry, dict):
            raise InvalidProduct(f"{where}: must be an object")
        try:
            product = parse_product(entry, base_url=base_url)
        except InvalidProduct as error:
            raise InvalidProduct(f"{where}: {error.message}") from None
        if product.id in seen:
            raise InvalidProduct(f"{where}: id {product.id} appears twice")
        seen.add(product.id)
        parsed.append(product)
    return parsed


def _whole(raw, label: str, field: str, low: int, high: int, from_text: bool) -> int:
    if from_text and isinstance(raw, str):
        value = limits.whole(raw.strip(), low, high, signed=True)  # ASCII digits only
    else:
        value = limits.bounded(raw, low, high)
    if value is None:
        kind = "a positive" if low > 0 else "a"
        raise InvalidProduct(f"{label}必須是 {low} 到 {high} 的整數（'{field}' must be {kind} "
                             f"whole number from {low} to {high}）。")
    return value


def _image_url(raw, base_url: str | None) -> str | None:
    if raw is None or isinstance(raw, str) and not raw.strip():
        return None
    url = raw.strip() if isinstance(raw, str) else ""
    own = base_url.rstrip("/") if base_url else None
    if own and url.startswith("/"):
        url = own + url
    if len(url) > MAX_URL or not (url.startswith("https://") or own and url.startswith(own + "/")):
        raise InvalidProduct("圖片網址必須以 https:// 開頭（'image_url' must be an https URL "
                             "or a path on this app）。")
    return url
