"""The owner's orders: find them, read them, ship the paid ones, cancel the unpaid ones."""
import re

from tests.support.admin import pay_order, place_order
from tests.support.messages import message_text


def test_shipping_a_paid_order_pushes_the_news_to_the_shopper(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    shopper = shop.shopper("小明")
    shop.follow(shopper)
    order_id = place_order(shop, shopper, 1, 2)
    order_no = pay_order(shop, shopper, order_id)
    page = admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)
    ts_no = shop.sql("SELECT ts_no FROM payment_attempts")[0]["ts_no"]
    assert order_no in page and ts_no in page and "小明" in page and "已付款" in page

    response = admin.post(f"/admin/orders/{order_id}/ship", {"tracking_note": "黑貓 單號 9001"})
    assert response.status_code == 303
    assert shop.sql("SELECT status, tracking_note, shipped_at IS NOT NULL AS shipped "
                    "FROM orders") == [{"status": "shipped", "tracking_note": "黑貓 單號 9001",
                                        "shipped": True}]
    assert message_text(shop.bot_messages(shopper)[-1]) == f"🚚 訂單 #{order_id} 已出貨！黑貓 單號 9001"
    assert "已標記出貨" in admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)


def test_only_paid_orders_can_be_shipped(shop, admin):
    shop.add_product(1, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 1)
    seen = len(shop.bot_messages(shopper))
    admin.post(f"/admin/orders/{order_id}/ship", {"tracking_note": "x"})
    assert shop.sql("SELECT status FROM orders") == [{"status": "pending"}]
    assert "只有已付款的訂單可以出貨" in admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)
    pay_order(shop, shopper, order_id)
    admin.post(f"/admin/orders/{order_id}/ship", {"tracking_note": "first"})
    admin.post(f"/admin/orders/{order_id}/ship", {"tracking_note": "second"})
    assert shop.sql("SELECT tracking_note FROM orders") == [{"tracking_note": "first"}]
    shipped = [m for m in shop.bot_messages(shopper)[seen:] if "已出貨" in message_text(m)]
    assert len(shipped) == 1


def test_cancelling_an_unpaid_order_returns_its_stock_and_tells_the_shopper(shop, admin):
    shop.add_product(1, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 4)
    assert shop.stock(1) == 6
    assert admin.post(f"/admin/orders/{order_id}/cancel").status_code == 303
    assert shop.stock(1) == 10
    assert shop.sql("SELECT status FROM orders") == [{"status": "cancelled"}]
    assert message_text(shop.bot_messages(shopper)[-1]) == f"訂單 #{order_id} 已取消，商品已釋出。"
    admin.post(f"/admin/orders/{order_id}/cancel")
    assert shop.stock(1) == 10  # a second cancel returns nothing twice


def test_a_paid_order_cannot_be_cancelled(shop, admin):
    shop.add_product(1, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 1)
    pay_order(shop, shopper, order_id)
    admin.post(f"/admin/orders/{order_id}/cancel")
    assert shop.sql("SELECT status FROM orders") == [{"status": "paid"}]
    assert shop.stock(1) == 9
    assert "只有待付款的訂單可以取消" in admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)


def _row_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="order-row">\s*<td><a href="/admin/orders/(\d+)"', page)]


def test_flagged_orders_come_first_then_newest(shop, admin):
    shop.add_product(1, stock=50)
    shopper = shop.shopper()
    ids = [place_order(shop, shopper, 1, 1) for _ in range(3)]
    shop.sql("UPDATE orders SET flagged = true, flag_note = '重複付款' WHERE id = %s", (ids[0],))
    page = admin.get("/admin/orders").get_data(as_text=True)
    assert _row_ids(page) == [ids[0], ids[2], ids[1]]
    assert "重複付款" in page


def test_orders_filter_by_status_date_and_number(shop, admin):
    shop.add_product(1, stock=50)
    shopper = shop.shopper()
    first, second, third = (place_order(shop, shopper, 1, 1) for _ in range(3))
    order_no = pay_order(shop, shopper, second)
    # The first order was placed at 23:30 Taipei time on 2025-03-01 (15:30 UTC).
    shop.sql("UPDATE orders SET created_at = '2025-03-01 15:30+00' WHERE id = %s", (first,))
    assert _row_ids(admin.get("/admin/orders?status=paid").get_data(as_text=True)) == [second]
    assert _row_ids(admin.get("/admin/orders?status=pending").get_data(as_text=True)) == [third, first]
    march = admin.get("/admin/orders?from=2025-03-01&to=2025-03-01").get_data(as_text=True)
    assert _row_ids(march) == [first]
    assert _row_ids(admin.get("/admin/orders?to=2025-02-28").get_data(as_text=True)) == []
    assert _row_ids(admin.get(f"/admin/orders?q=%23{third}").get_data(as_text=True)) == [third]
    assert _row_ids(admin.get(f"/admin/orders?q={order_no}").get_data(as_text=True)) == [second]
    assert _row_ids(admin.get("/admin/orders?status=bogus&from=nope").get_data(as_text=True)) == [
        third, second, first]
