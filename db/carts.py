"""SQL for shopping carts: one cart per shopper, a row per product."""
from db.prepared import Prepared
from models.records import CartLine, Product

CART_LINE = """
    SELECT p.id AS product_id, p.name, p.price, q.quantity, p.stock, p.image_url, p.active
    FROM {source} q
    JOIN products p ON p.id = q.product_id
"""


CART_ENTRY = Prepared("""
    SELECT p.id, p.name, p.price, p.stock, p.image_url, p.description, p.active,
           COALESCE(ci.quantity, 0) AS in_cart
    FROM products p
    LEFT JOIN cart_items ci ON ci.product_id = p.id AND ci.user_id = %(user_id)s
    WHERE p.id = %(product_id)s
""")


def get_cart_entry(cur, user_id: str, product_id: int) -> tuple[Product | None, int]:
    """The product, hidden or not (None if unknown), and how many of it are in the cart."""
    cur.execute(CART_ENTRY, {"user_id": user_id, "product_id": product_id})
    row = cur.fetchone()
    if row is None:
        return None, 0
    in_cart = row.pop("in_cart")
    return Product(**row), in_cart


def _set_quantity(write: str) -> Prepared:
    # The statement's snapshot can't see its own write: read the other lines, add the new one.
    return Prepared(f"""
        WITH written AS ({write}),
        touched AS (
            -- Every line dates the whole cart's last change (a cart reminder waits for it).
            UPDATE cart_items SET changed_at = now()
            WHERE user_id = %(user_id)s AND product_id <> %(product_id)s
        ),
        others AS (
            SELECT product_id, quantity FROM cart_items
            WHERE user_id = %(user_id)s AND product_id <> %(product_id)s
        ),
        lines AS (
            SELECT * FROM others
            UNION ALL
            SELECT * FROM written WHERE quantity > 0
        )
        {CART_LINE.format(source="lines")}
        ORDER BY p.id
    """)


UPSERT_LINE = _set_quantity("""
    INSERT INTO cart_items (user_id, product_id, quantity)
    VALUES (%(user_id)s, %(product_id)s, %(quantity)s)
    ON CONFLICT (user_id, product_id) DO UPDATE
    SET quantity = EXCLUDED.quantity, changed_at = now()
    RETURNING product_id, quantity
""")
DELETE_LINE = _set_quantity("""
    DELETE FROM cart_items
    WHERE user_id = %(user_id)s AND product_id = %(product_id)s
    RETURNING product_id, 0 AS quantity
""")
GET_CART = Prepared(CART_LINE.format(source="cart_items")
                    + " WHERE q.user_id = %(user_id)s ORDER BY p.id")


def set_quantity(cur, user_id: str, product_id: int, quantity: int) -> list[CartLine]:
    """Set one line (0 removes it) and return the whole cart, in one statement."""
    cur.execute(UPSERT_LINE if quantity > 0 else DELETE_LINE,
                {"user_id": user_id, "product_id": product_id, "quantity": quantity})
    return [CartLine(**row) for row in cur.fetchall()]


def get_cart(cur, user_id: str) -> list[CartLine]:
    cur.execute(GET_CART, {"user_id": user_id})
    return [CartLine(**row) for row in cur.fetchall()]


def remove_unavailable(cur, user_id: str) -> list[str]:
    """Drop the lines of products taken off sale; returns their names."""
    cur.execute(
        """
        DELETE FROM cart_items c
        USING products p
        WHERE c.user_id = %(user_id)s AND p.id = c.product_id AND NOT p.active
        RETURNING p.name
        """,
        {"user_id": user_id},
    )
    return [row["name"] for row in cur.fetchall()]
