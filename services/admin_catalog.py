"""The shop owner's catalog work: adding and editing products, adjusting stock.

Form and JSON fields are checked by the one catalog rule, models/catalog.py `parse_product`.
"""
from dataclasses import replace

from db import audit, products
from models.admin_errors import InvalidStockChange, ProductIdTaken, ProductMissing
from models.audit import (PRODUCT_CREATED, STOCK_ADJUSTED, Actor, changed_fields,
                          product_edit_action)
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


def create(db, product: Product, actor: Actor) -> int:
    """Add a product (in the audit trail); its opening stock (`product.stock`) is logged as a
    stock adjustment.

    :raise ProductIdTaken: another product has this id.
    """
    initial_stock = product.stock
    with db.transaction() as cur:
        if not products.insert_product(cur, replace(product, stock=0)):
            raise ProductIdTaken()
        if initial_stock:
            products.adjust_stock(cur, product.id, initial_stock, "初始庫存", actor.admin_id)
        audit.record(cur, actor, PRODUCT_CREATED, "product", product.id,
                     after={**_details(product), "stock": initial_stock})
    return product.id


def update(db, product: Product, actor: Actor) -> None:
    """Save name, price, description, image and visibility; stock and past orders stay as they are.

    The audit row holds the fields that changed; flipping visibility reads as hidden or shown.
    :raise ProductMissing: no such product.
    """
    with db.transaction() as cur:
        old = products.lock_product(cur, product.id)
        if old is None:
            raise ProductMissing()
        products.update_product_details(cur, product)
        before, after = changed_fields(_details(old), _details(product))
        audit.record(cur, actor, product_edit_action(old.active, product.active), "product",
                     product.id, before, after)


def _details(product: Product) -> dict:
    """What an edit can change, as the audit trail keeps it."""
    return {"name": product.name, "price": product.price, "description": product.description,
            "image_url": product.image_url, "active": product.active}


def adjust_stock(db, product_id: int, delta: int, reason: str, actor: Actor) -> int:
    """Add `delta` units (negative removes), log why (audit trail too); returns the new stock.

    :raise InvalidStockChange: zero delta, no reason, or stock would drop below zero.
    :raise ProductMissing: no such product.
    """
    reason = reason.strip()
    if delta == 0 or not reason or len(reason) > 200:
        raise InvalidStockChange()
    with db.transaction() as cur:
        if products.get_product(cur, product_id) is None:
            raise ProductMissing()
        stock = products.adjust_stock(cur, product_id, delta, reason, actor.admin_id)
        if stock is None:
            raise InvalidStockChange()
        # The UPDATE moved the stock by exactly `delta` under its row lock.
        audit.record(cur, actor, STOCK_ADJUSTED, "product", product_id,
                     before={"stock": stock - delta},
                     after={"stock": stock, "delta": delta, "reason": reason})
    return stock
