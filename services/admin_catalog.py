"""The shop owner's catalog work: adding and editing products, adjusting stock.

Form and JSON fields are checked by the one catalog rule, models/catalog.py `parse_product`.
"""
from dataclasses import replace

from db import products
from models.admin_errors import InvalidStockChange, ProductIdTaken, ProductMissing
from models.records import Product

def list_all(db) -> list[Product]:
    """Every product, hidden ones included."""
    with db.transaction() as cur:
        return products.list_products(cur, include_hidden=True)


def next_id(db) -> int:
    with db.transaction() as cur:
        return products.next_product_id(cur)


def get(db, product_id: int) -> tuple[Product, list[dict]]:
    """A product and its latest stock adjustments.

    :raise ProductMissing: no such product.
    """
    with db.transaction() as cur:
        product = products.get_product(cur, product_id)
        if product is None:
            raise ProductMissing()
        return product, products.list_stock_adjustments(cur, product_id)


def create(db, product: Product, admin_id: int | None) -> int:
    """Add a product; its opening stock (`product.stock`) is logged as a stock adjustment.

    :raise ProductIdTaken: another product has this id.
    """
    initial_stock = product.stock
    with db.transaction() as cur:
        if not products.insert_product(cur, replace(product, stock=0)):
            raise ProductIdTaken()
        if initial_stock:
            products.adjust_stock(cur, product.id, initial_stock, "初始庫存", admin_id)
    return product.id


def update(db, product: Product) -> None:
    """Save name, price, description, image and visibility; stock and past orders stay as they are.

    :raise ProductMissing: no such product.
    """
    with db.transaction() as cur:
        if not products.update_product_details(cur, product):
            raise ProductMissing()


def adjust_stock(db, product_id: int, delta: int, reason: str, admin_id: int | None) -> int:
    """Add `delta` units (negative removes) and log why; returns the new stock.

    :raise InvalidStockChange: zero delta, no reason, or stock would drop below zero.
    :raise ProductMissing: no such product.
    """
    reason = reason.strip()
    if delta == 0 or not reason or len(reason) > 200:
        raise InvalidStockChange()
    with db.transaction() as cur:
        if products.get_product(cur, product_id) is None:
            raise ProductMissing()
        stock = products.adjust_stock(cur, product_id, delta, reason, admin_id)
    if stock is None:
        raise InvalidStockChange()
    return stock
