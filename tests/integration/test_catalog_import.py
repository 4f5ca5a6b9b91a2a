"""Re-importing the catalog counts what pending orders hold: stock never invents units."""
import json
import threading

import psycopg2
import pytest


def import_catalog(shop, tmp_path, stock):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps([{"id": 1, "name": "烏龍茶", "price": 100, "stock": stock}],
                                  ensure_ascii=False), encoding="utf-8")
    result = shop.app.test_cli_runner().invoke(args=["import-products", str(catalog)])
    assert result.exit_code == 0, result.output


def test_reimport_then_cancel_leaves_the_shelf_count(shop, tmp_path):
    import_catalog(shop, tmp_path, 10)
    buyer = shop.buyer()
    order_id = shop.checkout(buyer, p1=4)
    assert shop.stock(1) == 6
    import_catalog(shop, tmp_path, 10)  # the shelf still holds 10, 4 of them for the order
    assert shop.stock(1) == 6
    shop.postback(buyer, f"action=cancel&order={order_id}")
    assert shop.order(order_id)["status"] == "cancelled"
    assert shop.stock(1) == 10


@pytest.mark.parametrize("shelf, expected", [(12, 8), (4, 0), (2, 0)])
def test_stock_after_import_is_shelf_less_held_never_below_zero(shop, tmp_path, shelf, expected):
    import_catalog(shop, tmp_path, 10)
    shop.checkout(shop.buyer(), p1=4)
    import_catalog(shop, tmp_path, shelf)
    assert shop.stock(1) == expected


def test_units_of_closed_orders_are_not_held(shop, tmp_path):
    import_catalog(shop, tmp_path, 10)
    buyer = shop.buyer()
    order_id = shop.checkout(buyer, p1=4)
    shop.postback(buyer, f"action=cancel&order={order_id}")
    import_catalog(shop, tmp_path, 10)
    assert shop.stock(1) == 10


@pytest.mark.parametrize("field", ["price", "stock", "id"])
def test_numbers_beyond_the_bounds_are_refused_by_name(shop, tmp_path, field):
    entry = {"id": 1, "name": "烏龍茶", "price": 100, "stock": 10, field: 2**40}
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps([entry], ensure_ascii=False), encoding="utf-8")
    result = shop.app.test_cli_runner().invoke(args=["import-products", str(catalog)])
    assert result.exit_code != 0 and f"'{field}' must be" in result.output
    assert shop.sql("SELECT 1 FROM products") == []


def test_an_import_during_a_checkout_in_flight_still_counts_its_units(shop, tmp_path):
    import_catalog(shop, tmp_path, 10)
    checkout = psycopg2.connect(shop.rt.db.url)  # a checkout that reserved but hasn't committed
    with checkout.cursor() as cur:
        cur.execute("""INSERT INTO orders (user_id, subtotal, total, expires_at)
                       VALUES ('U1', 400, 400, now() + interval '1 hour') RETURNING id""")
        cur.execute("""INSERT INTO order_items (order_id, product_id, name, unit_price, quantity)
                       VALUES (%s, 1, '烏龍茶', 100, 4)""", (cur.fetchone()[0],))
        cur.execute("UPDATE products SET stock = stock - 4 WHERE id = 1")
    importing = threading.Thread(target=import_catalog, args=(shop, tmp_path, 10))
    importing.start()
    assert shop.wait_until(lambda: shop.sql(
        "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))
    checkout.commit()
    checkout.close()
    importing.join(timeout=10)
    assert shop.stock(1) == 6
