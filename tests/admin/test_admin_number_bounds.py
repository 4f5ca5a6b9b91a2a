"""Numbers and characters an owner or a script sends are bounded: a 4xx or a message, never a 500."""
import pytest

from tests.admin.test_api import api  # noqa: F401  (the fixture)


@pytest.mark.parametrize("page", ["1e20", "100000000000000000000", "²", "-3", "0", "9" * 5000])
def test_any_orders_page_number_is_answered_without_a_500(shop, admin, api, page):  # noqa: F811
    for response in (admin.get(f"/admin/orders?page={page}"),
                     api.get(f"/admin/api/orders?page={page}")):
        assert response.status_code < 500, response.status_code


def test_a_nul_anywhere_the_owner_types_is_a_400(shop, admin, api):  # noqa: F811
    shop.add_product(1, stock=10)
    assert admin.get("/admin/orders?q=%00").status_code == 400
    assert api.get("/admin/api/orders?q=1%00").status_code == 400
    form = {"id": "3", "name": "茶\x00", "price": "100", "stock": "1"}
    assert admin.post("/admin/products/new", form).status_code == 400
    body = {"delta": 1, "reason": "盤點\u0000"}
    assert api.post("/admin/api/products/1/stock", body).status_code == 400
    assert shop.sql("SELECT count(*) AS n FROM products") == [{"n": 1}] and shop.stock(1) == 10


@pytest.mark.parametrize("delta", [2**40, -2**40, 2**31, 10**7])
def test_an_api_stock_delta_beyond_the_bound_is_a_400(shop, api, delta):  # noqa: F811
    shop.add_product(1, stock=10)
    response = api.post("/admin/api/products/1/stock", {"delta": delta, "reason": "盤點"})
    assert response.status_code == 400 and response.get_json()["message"]
    assert shop.stock(1) == 10


def test_stock_can_not_be_pushed_past_the_bound_by_many_deltas(shop, api):  # noqa: F811
    shop.add_product(1, stock=9_999_000)
    response = api.post("/admin/api/products/1/stock", {"delta": 5_000, "reason": "進貨"})
    assert response.status_code == 409
    assert shop.stock(1) == 9_999_000


@pytest.mark.parametrize("field, value", [("price", "²"), ("id", "፩"), ("price", "１００"),
                                          ("stock", "²"), ("price", "99999999999999999999")])
def test_non_ascii_or_huge_numbers_in_the_product_form_are_refused(shop, admin, field, value):
    form = {"id": "3", "name": "茶", "price": "100", "stock": "1", field: value}
    response = admin.post("/admin/products/new", form)
    assert response.status_code == 400
    assert shop.sql("SELECT * FROM products") == []


@pytest.mark.parametrize("delta", ["²", "+²", "-፩", "10000000"])
def test_non_ascii_or_huge_stock_deltas_in_the_form_are_refused(shop, admin, delta):
    shop.add_product(1, stock=10)
    response = admin.post("/admin/products/1/stock", {"delta": delta, "reason": "盤點"})
    assert response.status_code == 303
    assert "庫存調整有誤" in admin.get("/admin/products/1").get_data(as_text=True)
    assert shop.stock(1) == 10


@pytest.mark.parametrize("path", ["/admin/orders/{n}", "/admin/products/{n}",
                                  "/admin/products/{n}/edit"])
def test_huge_ids_in_admin_paths_are_not_found(shop, admin, path):
    assert admin.get(path.format(n=10**30)).status_code == 404


@pytest.mark.parametrize("path, body", [
    ("/admin/api/products/{n}/stock", {"delta": 1, "reason": "盤點"}),
    ("/admin/api/orders/{n}/ship", {"tracking_note": "x"}),
    ("/admin/api/orders/{n}/cancel", {}),
])
def test_huge_ids_in_api_paths_are_not_found(shop, api, path, body):  # noqa: F811
    assert api.post(path.format(n=10**30), body).status_code == 404
    assert api.get(f"/admin/api/orders/{10**30}").status_code == 404
