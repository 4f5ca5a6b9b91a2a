"""Use cases around the catalog: browsing and importing products."""
from db import carts, products
from models import limits, messages
from models.flex import NO_LINKS, Links
from models.errors import UnknownProduct
from models.records import Product
from services.answers import Answer
from services.orders import release_overdue


def show_products(db, answer: Answer, page: int = 1, links: Links = NO_LINKS) -> list[Product]:
    """Answer with the products for sale, after returning stock held by overdue orders."""
    def work(cur):
        release_overdue(cur)
        for_sale = products.list_products(cur)
        answer.send(cur, messages.product_list(for_sale, page, answer.language, links))
        return for_sale
    return db.run(work)


def show_product(db, answer: Answer, product_id: int, links: Links = NO_LINKS) -> Product:
    """Answer with one product's card and description.

    :raise UnknownProduct: no such (visible) product.
    """
    with db.transaction() as cur:
        product, in_cart = carts.get_cart_entry(cur, answer.user_id, product_id)
        if product is None or not product.active:
            raise UnknownProduct(product_id=product_id)
        answer.send(cur, messages.product_detail(product, in_cart, answer.language, links))
        return product


def for_sale(db) -> list[Product]:
    """The visible products, for the shop page (a plain read: nothing is sent)."""
    with db.transaction() as cur:
        return products.list_products(cur)


class CatalogError(ValueError):
    """A catalog file entry is malformed; the message says which and why."""


def parse_catalog(entries, base_url: str | None = None) -> list[Product]:
    """Validate a JSON catalog (list of objects) into Products.

    With `base_url`, an image_url path like /static/products/1.png becomes base_url + path.

    :raise CatalogError: on the first bad entry, naming it.
    """
    if not isinstance(entries, list):
        raise CatalogError("the catalog must be a JSON array of products")
    parsed, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"entry {index + 1}"
        if not isinstance(entry, dict):
            raise CatalogError(f"{where}: must be an object")
        for name, low, high in (("id", 1, limits.MAX_ID), ("price", 0, limits.MAX_PRICE),
                                ("stock", 0, limits.MAX_UNITS)):
            if limits.bounded(entry.get(name), low, high) is None:
                kind = "a positive integer" if low else "a whole number ≥ 0"
                raise CatalogError(f"{where}: '{name}' must be {kind} up to {high}")
        if entry["id"] in seen:
            raise CatalogError(f"{where}: id {entry['id']} appears twice")
        seen.add(entry["id"])
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CatalogError(f"{where}: 'name' must be a non-empty string")
        image_url = entry.get("image_url")
        if base_url and isinstance(image_url, str) and image_url.startswith("/"):
            image_url = base_url.rstrip("/") + image_url
        if image_url is not None and not (isinstance(image_url, str) and image_url.startswith(("https://", "http://"))):
            raise CatalogError(f"{where}: 'image_url' must be an http(s) URL")
        description = entry.get("description") or ""
        if not isinstance(description, str):
            raise CatalogError(f"{where}: 'description' must be a string")
        parsed.append(Product(id=entry["id"], name=name.strip(), price=entry["price"],
                              stock=entry["stock"], image_url=image_url,
                              description=description, active=bool(entry.get("active", True))))
    return parsed


def import_catalog(db, items: list[Product]) -> int:
    """Upsert every product in one transaction; returns how many.

    Each entry's stock is what is on the shelf: units held by pending orders count against it.
    """
    with db.transaction() as cur:
        # Locked first, so each upsert's own snapshot sees every reservation already made.
        products.lock_products(cur, [product.id for product in items])
        for product in items:
            products.upsert_product(cur, product)
    return len(items)
