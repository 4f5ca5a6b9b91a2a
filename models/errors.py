"""Domain errors: each names the condition and the text the shopper sees."""


class ShopError(Exception):
    """Base: `text_key` and `params` render the shopper-facing message (models/texts.py)."""
    text_key = "error_generic"

    def __init__(self, **params):
        super().__init__(self.text_key, params)
        self.params = params


class UnknownProduct(ShopError):
    text_key = "unknown_product"


class ProductUnavailable(ShopError):
    """The owner took the product off sale; it can still be removed from the cart."""
    text_key = "product_unavailable"


class OutOfStock(ShopError):
    text_key = "out_of_stock"


class InvalidQuantity(ShopError):
    text_key = "invalid_quantity"


class EmptyCart(ShopError):
    text_key = "empty_cart"


class OrderNotFound(ShopError):
    """Also raised for another shopper's order: never reveal that it exists."""
    text_key = "order_not_found"


class OrderNotPayable(ShopError):
    text_key = "order_not_payable"


class RecipientMissing(ShopError):
    text_key = "recipient_missing"


class InvalidRecipient(ShopError):
    """`problem` is usage, name, phone or address; each has its own text."""

    def __init__(self, problem: str, **params):
        super().__init__(**params)
        self.problem = problem
        self.text_key = f"invalid_recipient_{problem}"


class BankUnavailable(ShopError):
    text_key = "bank_unavailable"


class BankRefused(ShopError):
    text_key = "bank_refused"


class OrderTooLarge(ShopError):
    """More than the bank accepts in one payment (for `method`, or by any method when empty)."""

    def __init__(self, **params):
        super().__init__(**params)
        self.text_key = "atm_limit" if params.get("method") == "A" else "order_too_large"


class SoldOut(ShopError):
    """Checkout found lines the shop can no longer cover; `names` lists them."""
    text_key = "sold_out"


class InvalidOrderRequest(ShopError):
    """A posted order is malformed; `fields` maps each bad key (`products[1].count`) to its text."""
    text_key = "api_invalid_request"

    def __init__(self, fields: dict[str, str]):
        super().__init__()
        self.fields = fields
