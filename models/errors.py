"""Domain errors: each names the condition, the text the shopper sees and what the owner reads."""


class ShopError(Exception):
    """Base of every refusal a use case raises; nothing was changed.

    `text_key` and `params` render the shopper's message (models/texts.py); `message` is the
    shop owner's (zh-TW), shown in the back office as a flash or an API error.
    """
    text_key = "error_generic"
    message = "操作失敗，請再試一次。"

    def __init__(self, message: str | None = None, **params):
        self.message = message or self.message
        self.params = params
        super().__init__(self.message, params)


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
    message = "找不到這筆訂單。"


class OrderNotPayable(ShopError):
    """`status` is the order's status (pending past its deadline counts as expired)."""
    text_key = "order_not_payable"


class NotCancellable(OrderNotPayable):
    message = "只有待付款的訂單可以取消。"


class RecipientMissing(ShopError):
    text_key = "recipient_missing"


class InvalidRecipient(ShopError):
    """`problem` is usage, name, phone or address; each has its own text."""

    def __init__(self, problem: str, **params):
        super().__init__(None, **params)
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


class UnknownCommand(ShopError):
    """The chat message is no command we know; `text` is what the shopper wrote (cut short)."""
    text_key = "unknown_command"


class Misspelt(ShopError):
    """A known command word written wrongly: the shopper is shown how to write it."""

    def __init__(self, usage_key: str):
        super().__init__(None)
        self.text_key = usage_key


class BadButton(ShopError):
    """Postback data we didn't write (an old or forged button)."""
    text_key = "bad_postback"


class InvalidOrderRequest(ShopError):
    """A posted order is malformed; `fields` maps each bad key (`products[1].count`) to its text."""
    text_key = "api_invalid_request"

    def __init__(self, fields: dict[str, str]):
        super().__init__()
        self.fields = fields
