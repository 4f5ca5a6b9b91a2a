"""SQL for the catalog and its stock."""
from models.limits import MAX_UNITS
from models.records import Product

COLUMNS = "id, name, price, stock, image_url, description, active"


def _product(row) -> Product:
    return Product(**row)


def list_products(cur, *, include_hidden: bool = False) -> list[Product]:
    cur.execute(
        f"""
        SELECT {COLUMNS}
        FROM products
        WHERE active OR %(include_hidden)s
        ORDER BY id
        """,
        {"include_hidden": include_hidden},
    )
    return [_product(row) for row in cur.fetchall()]


def get_product(cur, product_id: int) -> Product | None:
    cur.execute(f"SELECT {COLUMNS} FROM products WHERE id = %(id)s", {"id": product_id})
    row = cur.fetchone()
    return _product(row) if row else None


def lock_products(cur, ids: list[int]) -> None:
    """Lock these products (in id order) until commit, so no checkout or release moves them."""
    cur.execute("SELECT id FROM products WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE",
                {"ids": ids})


def upsert_product(cur, product: Product) -> None:
    """Insert or update one product; `product.stock` is what is on the shelf.

    Units held by pending orders are still on the shelf but already sold, so the stock for
    sale becomes shelf − held (never below 0). Lock the row first (`lock_products`): this
    statement's snapshot must then include every reservation of it.
    """
    cur.execute(
        """
        WITH held AS (
            SELECT COALESCE(sum(oi.quantity), 0) AS quantity
            FROM order_items oi
            JOIN orders o ON o.id = oi.order_id
            WHERE oi.product_id = %(id)s AND o.status = 'pending'
        )
        INSERT INTO products (id, name, price, stock, image_url, description, active)
        SELECT %(id)s, %(name)s, %(price)s, GREATEST(%(stock)s - held.quantity, 0), %(image_url)s,
               %(description)s, %(active)s
        FROM held
        ON CONFLICT (id) DO UPDATE
        SET name = EXCLUDED.name, price = EXCLUDED.price, stock = EXCLUDED.stock,
            image_url = EXCLUDED.image_url, description = EXCLUDED.description,
            active = EXCLUDED.active, updated_at = now()
        """,
        product.__dict__,
    )


def adjust_stock(cur, product_id: int, delta: int, reason: str, admin_id: int | None) -> int | None:
    """Add `delta` to stock (never below zero nor above MAX_UNITS) and log why.

    Returns the new stock, or None when there is no such product or the bound is crossed.
    """
    cur.execute(
        """
        WITH changed AS (
            UPDATE products SET stock = stock + %(delta)s, updated_at = now()
            WHERE id = %(id)s AND stock::bigint + %(delta)s BETWEEN 0 AND %(max_stock)s
            RETURNING id, stock
        ), logged AS (
            INSERT INTO stock_adjustments (product_id, delta, reason, admin_id)
            SELECT id, %(delta)s, %(reason)s, %(admin_id)s FROM changed
        )
        SELECT stock FROM changed
        """,
        {"id": product_id, "delta": delta, "reason": reason, "admin_id": admin_id,
         "max_stock": MAX_UNITS},
    )
    row = cur.fetchone()
    return row["stock"] if row else None


def next_product_id(cur) -> int:
    """The id a new product gets unless the owner picks another."""
    cur.execute("SELECT COALESCE(max(id), 0) + 1 AS next_id FROM products")
    return cur.fetchone()["next_id"]


def insert_product(cur, product: Product) -> bool:
    """Add a new product; False if its id is taken (nothing changes then)."""
    cur.execute(
        """
        INSERT INTO products (id, name, price, stock, image_url, description, active)
        VALUES (%(id)s, %(name)s, %(price)s, %(stock)s, %(image_url)s, %(description)s, %(active)s)
        ON CONFLICT (id) DO NOTHING
        RETURNING id
        """,
        product.__dict__,
    )
    return cur.fetchone() is not None


def update_product_details(cur, product: Product) -> bool:
    """Change everything but stock (stock moves only through `adjust_stock`); False if no such id."""
    cur.execute(
        """
        UPDATE products
        SET name = %(name)s, price = %(price)s, image_url = %(image_url)s,
            description = %(description)s, active = %(active)s, updated_at = now()
        WHERE id = %(id)s
        RETURNING id
        """,
        product.__dict__,
    )
    return cur.fetchone() is not None


def list_low_stock(cur, threshold: int) -> list[Product]:
    """Products for sale with `threshold` units or fewer left, emptiest first."""
    cur.execute(
        f"""
        SELECT {COLUMNS}
        FROM products
        WHERE active
          AND stock <= %(threshold)s
        ORDER BY stock, id
        """,
        {"threshold": threshold},
    )
    return [_product(row) for row in cur.fetchall()]


def list_stock_adjustments(cur, product_id: int, limit: int = 20) -> list[dict]:
    """The latest manual stock changes of a product, with who made them."""
    cur.execute(
        """
        SELECT s.delta, s.reason, s.created_at, a.email AS admin_email
        FROM stock_adjustments s
        LEFT JOIN admins a ON a.id = s.admin_id
        WHERE s.product_id = %(id)s
        ORDER BY s.id DESC
        LIMIT %(limit)s
        """,
        {"id": product_id, "limit": limit},
    )
    return cur.fetchall()


def lock_product(cur, product_id: int) -> Product | None:
    """The product, row-locked until commit (so an edit records what it really replaced)."""
    cur.execute(f"SELECT {COLUMNS} FROM products WHERE id = %(id)s FOR UPDATE", {"id": product_id})
    row = cur.fetchone()
    return _product(row) if row else None


def get_products(cur, product_ids: list[int]) -> list[Product]:
    """These products (hidden ones included, unknown ids left out), by id."""
    cur.execute(
        f"""
        SELECT {COLUMNS}
        FROM products
        WHERE id = ANY(%(ids)s)
        ORDER BY id
        """,
        {"ids": list(product_ids)},
    )
    return [_product(row) for row in cur.fetchall()]


def reserve_stock(cur, quantities: dict[int, int]) -> set[int]:
    """Take stock for every product → quantity at once, each only if enough is left: one statement.

    Returns the ids reserved; the caller rolls back unless all of them were.
    """
    cur.execute(
        """
        WITH wanted AS (
            SELECT * FROM unnest(%(ids)s::int[], %(quantities)s::int[]) AS w (product_id, quantity)
        )
        UPDATE products p SET stock = p.stock - w.quantity
        FROM wanted w
        WHERE p.id = w.product_id AND p.active AND p.stock >= w.quantity
        RETURNING p.id
        """,
        {"ids": list(quantities), "quantities": list(quantities.values())},
    )
    return {row["id"] for row in cur.fetchall()}
