"""The JSON mirror of the back office, for scripts holding an API token."""
import pytest

from tests.support.admin import EMAIL, pay_order, place_order
from tests.support.messages import message_text


@pytest.fixture
def api(shop, owner):
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    client = shop.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    class Api:
        def get(self, url):
            return client.get(url, headers=headers)

        def post(self, url, body=None):
            return client.post(url, json=body or {}, headers=headers)
    return Api()


def test_products_and_stock_adjustments(shop, api):
    shop.add_product(1, name="烏龍茶", price=100, stock=4)
    assert api.get("/admin/api/products").json == {"products": [{
        "id": 1, "name": "烏龍茶", "price": 100, "stock": 4, "image_url": None,
        "description": "", "active": True}]}
    assert api.post("/admin/api/products/1/stock", {"delta": 6, "reason": "進貨"}).json == {
        "id": 1, "stock": 10}
    refused = api.post("/admin/api/products/1/stock", {"delta": -11, "reason": "盤點"})
    assert refused.status_code == 409 and "庫存" in refused.json["message"]
    assert api.post("/admin/api/products/1/stock", {"delta": "6"}).status_code == 400
    assert api.post("/admin/api/products/9/stock", {"delta": 1, "reason": "x"}).status_code == 404
    assert shop.stock(1) == 10


def test_orders_list_detail_ship_and_cancel(shop, api):
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    shopper = shop.shopper()
    paid = place_order(shop, shopper, 1, 2)
    order_no = pay_order(shop, shopper, paid)
    unpaid = place_order(shop, shopper, 1, 3)
    listing = api.get("/admin/api/orders?status=paid").json
    assert listing["total"] == 1 and listing["orders"][0]["id"] == paid
    detail = api.get(f"/admin/api/orders/{paid}").json
    assert detail["order"]["lines"] == [{"product_id": 1, "name": "烏龍茶", "unit_price": 100,
                                         "quantity": 2, "image_url": None}]
    assert detail["payment_attempts"][0]["order_no"] == order_no
    assert detail["payment_attempts"][0]["ts_no"]

    assert api.post(f"/admin/api/orders/{unpaid}/ship").status_code == 409
    assert api.post(f"/admin/api/orders/{paid}/ship", {"tracking_note": "郵局 123"}).json == {
        "id": paid, "status": "shipped"}
    assert message_text(shop.bot_messages(shopper)[-1]) == f"🚚 訂單 #{paid} 已出貨！郵局 123"
    assert api.post(f"/admin/api/orders/{unpaid}/cancel").status_code == 200
    assert shop.stock(1) == 8
    assert api.post(f"/admin/api/orders/{paid}/cancel").status_code == 409
    assert api.get("/admin/api/orders/999").status_code == 404


def test_the_api_needs_no_csrf_token_and_sets_no_cookie(shop, api):
    shop.add_product(1, stock=1)
    response = api.post("/admin/api/products/1/stock", {"delta": 1, "reason": "x"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
