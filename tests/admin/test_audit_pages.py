"""The audit trail as the owner reads it, and as nobody can change it."""
import psycopg2
import pytest

from tests.support.admin import EMAIL, pay_order, place_order

ROWS = "/admin/audit"


def add_entry(shop, action="stock_adjusted", entity_type="product", entity_id=1, actor=EMAIL,
              at="2026-03-10 12:00+08", via="web", count=1):
    shop.sql("""INSERT INTO audit_log (at, admin_id, actor, via, action, entity_type, entity_id)
                SELECT %s, 1, %s, %s, %s, %s, %s FROM generate_series(1, %s)""",
             (at, actor, via, action, entity_type, entity_id, count))


def entries(shop, admin, query: str) -> dict:
    """What the JSON mirror answers for this query (the page uses the same filter)."""
    response = shop.app.test_client().get(f"/admin/api/audit?{query}", headers=admin.api_headers)
    assert response.status_code == 200
    return response.json


@pytest.fixture
def owner_api(shop, admin):
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    admin.api_headers = {"Authorization": f"Bearer {token}"}
    shop.sql("TRUNCATE audit_log RESTART IDENTITY")  # the login and token rows: not in the way
    return admin


def test_product_page_shows_its_history_with_values_before_and_after(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100, stock=3)
    admin.post("/admin/products/1/edit", {"name": "<b>凍頂</b>", "price": "120", "active": "on"})
    admin.post("/admin/products/1/stock", {"delta": "5", "reason": "進貨"})
    page = admin.get("/admin/products/1").get_data(as_text=True)
    history = page.split('data-testid="audit"')[1]
    rows = history.split('data-testid="audit-row"')[1:]
    assert len(rows) == 2
    assert "調整庫存" in rows[0] and "3 → 8" in rows[0] and "進貨" in rows[0]
    assert "編輯商品" in rows[1] and "100 → 120" in rows[1] and EMAIL in rows[1]
    assert "烏龍茶 → &lt;b&gt;凍頂&lt;/b&gt;" in rows[1]  # shop text is escaped, never markup


def test_order_page_shows_who_shipped_it_and_when(shop, admin):
    shop.add_product(1, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 2)
    pay_order(shop, shopper, order_id)
    admin.post(f"/admin/orders/{order_id}/ship", {"tracking_note": "黑貓 9001"})
    page = admin.get(f"/admin/orders/{order_id}").get_data(as_text=True)
    rows = page.split('data-testid="audit"')[1].split('data-testid="audit-row"')[1:]
    assert len(rows) == 1
    assert "出貨" in rows[0] and EMAIL in rows[0] and "paid → shipped" in rows[0]
    assert "— → 黑貓 9001" in rows[0]


def test_the_audit_list_is_newest_first_and_filters(shop, owner_api):
    add_entry(shop, "stock_adjusted", "product", 1, at="2026-03-01 09:00+08")
    add_entry(shop, "order_shipped", "order", 5, at="2026-03-02 09:00+08")
    add_entry(shop, "product_updated", "product", 2, actor="cli", via="cli",
              at="2026-03-03 23:30+08")
    add_entry(shop, "order_cancelled", "order", 6, at="2026-03-04 00:30+08")

    def ids(query):
        return [entry["id"] for entry in entries(shop, owner_api, query)["entries"]]
    assert ids("") == [4, 3, 2, 1]
    assert ids("action=order_shipped") == [2]
    assert ids("entity=product") == [3, 1]
    assert ids("entity=order&entity_id=6") == [4]
    assert ids("who=CLI") == [3] and ids(f"who={EMAIL.upper()}") == [4, 2, 1]
    assert ids("from=2026-03-02&to=2026-03-03") == [3, 2]  # Taipei days, both ends included
    assert ids("action=nonsense&entity=x&entity_id=abc&from=31-31&to=9999-12-31") == [4, 3, 2, 1]
    page = owner_api.get("/admin/audit?entity=order").get_data(as_text=True)
    assert page.count('data-testid="audit-row"') == 2
    assert page.index("訂單 #6") < page.index("訂單 #5")


@pytest.mark.parametrize("page, shown", [
    ("", 1), ("2", 2), ("abc", 1), ("-3", 1), ("0", 1), ("1.5", 1), ("３", 1),
    ("4", 3), ("99999999999999999999", 3), ("9" * 5000, 3)])
def test_page_numbers_stay_within_the_pages_there_are(shop, owner_api, page, shown):
    add_entry(shop, count=120)  # 50 a page: 3 pages
    listing = entries(shop, owner_api, f"page={page}")
    assert (listing["page"], listing["pages"], listing["total"]) == (shown, 3, 120)
    assert len(listing["entries"]) == (20 if shown == 3 else 50)
    response = owner_api.get(f"/admin/audit?page={page}")
    assert response.status_code == 200
    assert f"第 {shown} / 3 頁" in response.get_data(as_text=True)


def test_no_route_changes_the_audit_trail(shop, owner_api):
    add_entry(shop)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(owner_api.client, method)(ROWS).status_code == 405
        response = getattr(shop.app.test_client(), method)("/admin/api/audit",
                                                           headers=owner_api.api_headers)
        assert response.status_code in (404, 405)  # the API answers 404 for any unknown route
    assert len(shop.sql("SELECT * FROM audit_log")) == 1


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'someone else'",
    "DELETE FROM audit_log",
])
def test_postgresql_refuses_to_update_or_delete_audit_rows(shop, statement):
    add_entry(shop)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
        shop.sql(statement)
    assert shop.sql("SELECT actor FROM audit_log") == [{"actor": EMAIL}]


def test_only_owners_read_the_audit_trail(shop, owner):
    client = shop.app.test_client()
    assert client.get(ROWS).headers["Location"].startswith("/admin/login")
    assert client.get("/admin/api/audit").status_code == 401
