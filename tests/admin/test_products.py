"""The owner's catalog: create, edit, hide, adjust stock — and orders keep what was bought."""
from tests.support.admin import AdminClient, create_owner, place_order
from tests.support.messages import message_text


def test_the_owner_adds_a_product_with_opening_stock(shop, admin):
    form = admin.get("/admin/products/new").get_data(as_text=True)
    assert 'name="id" type="number" value="1"' in form  # the next free id is offered
    response = admin.post("/admin/products/new", {
        "id": "7", "name": "東方美人茶", "price": "680", "stock": "12",
        "description": "新竹 150g", "image_url": "https://img.example.tw/tea.jpg", "active": "on"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/products/7"
    assert shop.sql("SELECT id, name, price, stock, description, image_url, active FROM products") == [{
        "id": 7, "name": "東方美人茶", "price": 680, "stock": 12, "description": "新竹 150g",
        "image_url": "https://img.example.tw/tea.jpg", "active": True}]
    assert shop.sql("SELECT delta, reason FROM stock_adjustments") == [
        {"delta": 12, "reason": "初始庫存"}]
    page = admin.get("/admin/products/7").get_data(as_text=True)
    assert "已新增商品 #7 東方美人茶" in page and "初始庫存" in page


def test_bad_product_input_is_refused_with_one_message_and_nothing_saved(shop, admin):
    cases = [({"name": ""}, "商品名稱必填"), ({"price": "-1"}, "價格必須是"),
             ({"price": "abc"}, "價格必須是"), ({"image_url": "http://x.tw/a.jpg"}, "https://"),
             ({"id": "0"}, "商品編號必須是")]
    for override, message in cases:
        form = {"id": "3", "name": "茶", "price": "100", "stock": "1", **override}
        response = admin.post("/admin/products/new", form)
        assert response.status_code == 400, override
        assert message in response.get_data(as_text=True), override
    assert shop.sql("SELECT * FROM products") == []


def test_a_taken_product_id_is_refused(shop, admin):
    shop.add_product(3, name="烏龍茶")
    response = admin.post("/admin/products/new", {"id": "3", "name": "紅茶", "price": "90"})
    assert response.status_code == 400
    assert "已經有人使用" in response.get_data(as_text=True)
    assert shop.sql("SELECT name FROM products") == [{"name": "烏龍茶"}]


def test_shopper_text_is_escaped_not_rendered_as_html(shop, admin):
    admin.post("/admin/products/new", {"id": "1", "name": "<script>alert(1)</script>",
                                       "price": "1", "active": "on"})
    page = admin.get("/admin/products").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_editing_changes_details_but_not_stock_and_hidden_products_leave_the_chat(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    response = admin.post("/admin/products/1/edit", {
        "name": "凍頂烏龍", "price": "120", "description": "", "image_url": "", "stock": "999"})
    assert response.status_code == 303
    assert shop.sql("SELECT name, price, stock, active FROM products") == [
        {"name": "凍頂烏龍", "price": 120, "stock": 10, "active": False}]
    shopper = shop.shopper()
    assert "凍頂烏龍" not in message_text(shop.text(shopper, "商品")[0])
    admin.post("/admin/products/1/edit", {"name": "凍頂烏龍", "price": "120", "active": "on"})
    assert "凍頂烏龍" in message_text(shop.text(shopper, "商品")[0])


def test_editing_a_product_never_changes_a_past_order(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 2)
    admin.post("/admin/products/1/edit", {"name": "新包裝烏龍茶", "price": "150", "active": "on"})
    assert shop.sql("SELECT name, unit_price, quantity FROM order_items WHERE order_id = %s",
                    (order_id,)) == [{"name": "烏龍茶", "unit_price": 100, "quantity": 2}]
    assert shop.sql("SELECT total FROM orders WHERE id = %s", (order_id,)) == [{"total": 200}]
    page = admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)
    assert "烏龍茶" in page and "新包裝烏龍茶" not in page and "NT$200" in page


def test_stock_adjustments_need_a_reason_never_go_below_zero_and_are_logged(shop, admin):
    shop.add_product(1, stock=3)
    assert admin.post("/admin/products/1/stock", {"delta": "10", "reason": "進貨"}).status_code == 303
    assert shop.stock(1) == 13
    admin.post("/admin/products/1/stock", {"delta": "-2", "reason": "破損"})
    assert shop.stock(1) == 11
    for bad in ({"delta": "-12", "reason": "盤點"}, {"delta": "5", "reason": " "},
                {"delta": "0", "reason": "x"}, {"delta": "1.5", "reason": "x"}):
        admin.post("/admin/products/1/stock", bad)
        assert shop.stock(1) == 11, bad
    page = admin.get("/admin/products/1").get_data(as_text=True)
    assert "庫存調整有誤" in page
    log = shop.sql("SELECT s.delta, s.reason, a.email FROM stock_adjustments s "
                   "JOIN admins a ON a.id = s.admin_id ORDER BY s.id")
    assert log == [{"delta": 10, "reason": "進貨", "email": "owner@shop.tw"},
                   {"delta": -2, "reason": "破損", "email": "owner@shop.tw"}]


def test_the_list_warns_about_low_stock(make_shop):
    shop = make_shop(LOW_STOCK_THRESHOLD=3)
    create_owner(shop.app)
    admin = AdminClient(shop.app.test_client())
    admin.login()
    shop.add_product(1, name="烏龍茶", stock=3)
    shop.add_product(2, name="紅茶", stock=4)
    rows = admin.get("/admin/products").get_data(as_text=True).split("<tr>")[2:]
    assert "庫存偏低" in rows[0] and "庫存偏低" not in rows[1]
