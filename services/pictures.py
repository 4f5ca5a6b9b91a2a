"""Pictures drawn for the catalog."""
from db import products
from models.pictures import product_placeholder_png


def product_placeholder(db, product_id: int) -> bytes | None:
    """The placeholder PNG for a product, or None if there is no such product."""
    with db.transaction() as cur:
        product = products.get_product(cur, product_id)
    return None if product is None else product_placeholder_png(product.id, product.name)
