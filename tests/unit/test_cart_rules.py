"""models/cart.py: what a `cart` command may do to a line."""
import pytest

from models.cart import MAX_LINE_QUANTITY, new_quantity
from models.errors import InvalidQuantity, OutOfStock, UnknownProduct
from models.records import Product

TEA = Product(1, "烏龍茶", 100, stock=5)


@pytest.mark.parametrize("in_cart, amount, relative, expected", [
    (0, 2, False, 2),     # set
    (3, 1, False, 1),     # set lower
    (3, 0, False, 0),     # 0 removes
    (2, 1, True, 3),      # +1
    (2, -2, True, 0),     # down to nothing
    (0, 5, False, 5),     # exactly the stock
])
def test_a_quantity_change_gives_the_new_quantity(in_cart, amount, relative, expected):
    assert new_quantity(TEA, 1, in_cart, amount, relative) == expected


@pytest.mark.parametrize("product, in_cart, amount, relative, error", [
    (None, 0, 1, False, UnknownProduct),
    (TEA, 1, -2, True, InvalidQuantity),
    (TEA, 0, -1, False, InvalidQuantity),
    (Product(2, "茶", 1, stock=10**6), 0, MAX_LINE_QUANTITY + 1, False, InvalidQuantity),
    (TEA, 0, 6, False, OutOfStock),
    (TEA, 5, 1, True, OutOfStock),
])
def test_an_impossible_change_is_refused_with_a_reason(product, in_cart, amount, relative, error):
    with pytest.raises(error):
        new_quantity(product, 1, in_cart, amount, relative)


def test_the_refusal_names_the_product_and_what_is_left():
    with pytest.raises(OutOfStock) as refused:
        new_quantity(TEA, 1, 0, 9, False)
    assert refused.value.params == {"name": "烏龍茶", "stock": 5}
