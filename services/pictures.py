"""Pictures drawn for the catalog."""
from db import products
from models.pictures import product_placeholder_png


def product_placeholder(db, product_id: int) -> bytes | None:
    """The placeholder PNG for a product on sale, or None (no such product, or hidden)."""
    with db.transaction() as cur:
        product = products.get_product(cur, product_id)
    if product is None or not product.active:
        return None
    return product_placeholder_png(product.id, product.name)
