"""Cart rules: what a quantity change may do."""
from models.errors import InvalidQuantity, OutOfStock, UnknownProduct
from models.records import Product

MAX_LINE_QUANTITY = 999


def new_quantity(product: Product | None, product_id: int, in_cart: int, amount: int,
                 relative: bool) -> int:
    """The quantity a `cart` command leads to.

    :raise UnknownProduct: no such (visible) product.
    :raise InvalidQuantity: the result would be negative or absurd.
    :raise OutOfStock: more than the shop has.
    """
    if product is None:
        raise UnknownProduct(product_id=product_id)
    quantity = in_cart + amount if relative else amount
    if quantity < 0:
        raise InvalidQuantity(name=product.name, in_cart=in_cart)
    if quantity > MAX_LINE_QUANTITY:
        raise InvalidQuantity(name=product.name, in_cart=in_cart)
    if quantity > product.stock:
        raise OutOfStock(name=product.name, stock=product.stock)
    return quantity
