"""Cart rules: what a quantity change may do."""
from models.errors import InvalidQuantity, OutOfStock, ProductUnavailable, UnknownProduct
from models.records import CartLine, Product

MAX_LINE_QUANTITY = 999


def new_quantity(product: Product | None, product_id: int, in_cart: int, amount: int,
                 relative: bool) -> int:
    """The quantity a `cart` command leads to.

    Lowering or removing a line needs no stock, nor the product to be on sale: a shopper can
    always take out what the owner has hidden.
    :raise UnknownProduct: no such product (a hidden one counts as unknown unless in the cart).
    :raise InvalidQuantity: the result would be negative or absurd.
    :raise ProductUnavailable: more of a product taken off sale.
    :raise OutOfStock: more than the shop has.
    """
    if product is None or (not product.active and not in_cart):
        raise UnknownProduct(product_id=product_id)
    quantity = in_cart + amount if relative else amount
    if quantity < 0:
        raise InvalidQuantity(name=product.name, in_cart=in_cart)
    if quantity <= in_cart:
        return quantity
    if not product.active:
        raise ProductUnavailable(name=product.name)
    if quantity > MAX_LINE_QUANTITY:
        raise InvalidQuantity(name=product.name, in_cart=in_cart)
    if quantity > product.stock:
        raise OutOfStock(name=product.name, stock=product.stock)
    return quantity


def unavailable(lines: list[CartLine]) -> list[CartLine]:
    """Lines whose product the owner took off sale: checkout can't include them."""
    return [line for line in lines if not line.active]
