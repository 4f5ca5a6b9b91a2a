"""Use cases around the catalog: browsing and importing products."""
from db import carts, products
from models.errors import UnknownProduct
from models.events import ProductShown, ProductsShown
from models.records import Product
from services.orders import release_overdue


def show_products(db, user_id: str, page: int = 1) -> ProductsShown:
    """The products for sale, after returning stock held by overdue orders."""
    def work(uow):
        release_overdue(uow)
        shown = ProductsShown(user_id, products.list_products(uow.cur), page)
        uow.record(shown)
        return shown
    return db.run(work)


def show_product(db, user_id: str, product_id: int) -> ProductShown:
    """One product's card and description, with how many the shopper has in the cart.

    :raise UnknownProduct: no such (visible) product.
    """
    def work(uow):
        product, in_cart = carts.get_cart_entry(uow.cur, user_id, product_id)
        if product is None or not product.active:
            raise UnknownProduct(product_id=product_id)
        shown = ProductShown(user_id, product, in_cart)
        uow.record(shown)
        return shown
    return db.run(work)


def for_sale(db) -> list[Product]:
    """The visible products, for the shop page (a plain read: nothing is sent)."""
    with db.transaction() as cur:
        return products.list_products(cur)


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
