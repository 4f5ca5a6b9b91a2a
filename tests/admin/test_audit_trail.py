"""Every owner action leaves exactly one audit row, written in the action's own transaction."""
from contextlib import contextmanager

import pytest

from tests.support.admin import EMAIL, AdminClient, pay_order, place_order

COLUMNS = "admin_id, actor, via, action, entity_type, entity_id, before, after"
WEB = {"admin_id": 1, "actor": EMAIL, "via": "web"}
API = {"admin_id": 1, "actor": EMAIL, "via": "api"}


def audit_rows(shop) -> list[dict]:
    return shop.sql(f"SELECT {COLUMNS} FROM audit_log ORDER BY id")


class Api:
    """The JSON API with a fresh token (making it is itself an audited action)."""

    def __init__(self, shop):
        token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output
        self.client = shop.app.test_client()
        self.headers = {"Authorization": f"Bearer {token.strip()}"}

    def post(self, url, body=None):
        return self.client.post(url, json=body or {}, headers=self.headers)


def paid_order(shop) -> int:
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    shopper = shop.shopper()
    order_id = place_order(shop, shopper, 1, 2)
    pay_order(shop, shopper, order_id)
    return order_id


def unpaid_order(shop) -> int:
    shop.add_product(1, name="烏龍茶", price=100, stock=10)
    return place_order(shop, shop.shopper(), 1, 2)


# Each case sets the scene, then returns the action and the one row it must write.
def login(shop, admin):
    return lambda: AdminClient(shop.app.test_client()).login(), {
        **WEB, "action": "login", "entity_type": "admin", "entity_id": 1,
        "before": None, "after": None}


def wrong_password(shop, admin):
    return lambda: AdminClient(shop.app.test_client()).login(password="wrong password"), {
        **WEB, "action": "login_failed", "entity_type": "admin", "entity_id": 1,
        "before": None, "after": None}


def api_token(shop, admin):
    runner = shop.app.test_cli_runner()
    return lambda: runner.invoke(args=["create-admin-token", EMAIL]), {
        "admin_id": None, "actor": "cli", "via": "cli", "action": "api_token_created",
        "entity_type": "admin", "entity_id": 1, "before": None, "after": None}


def create_product(shop, admin):
    return lambda: admin.post("/admin/products/new", {
        "id": "7", "name": "東方美人茶", "price": "680", "stock": "12", "description": "150g",
        "image_url": "", "active": "on"}), {
        **WEB, "action": "product_created", "entity_type": "product", "entity_id": 7,
        "before": None, "after": {"name": "東方美人茶", "price": 680, "description": "150g",
                                  "image_url": None, "active": True, "stock": 12}}


def edit_product(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100)
    return lambda: admin.post("/admin/products/1/edit", {
        "name": "凍頂烏龍", "price": "120", "active": "on"}), {
        **WEB, "action": "product_updated", "entity_type": "product", "entity_id": 1,
        "before": {"name": "烏龍茶", "price": 100}, "after": {"name": "凍頂烏龍", "price": 120}}


def hide_product(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100)
    return lambda: admin.post("/admin/products/1/edit", {"name": "烏龍茶", "price": "100"}), {
        **WEB, "action": "product_hidden", "entity_type": "product", "entity_id": 1,
        "before": {"active": True}, "after": {"active": False}}


def show_product(shop, admin):
    shop.add_product(1, name="烏龍茶", price=100)
    shop.sql("UPDATE products SET active = false")
    return lambda: admin.post("/admin/products/1/edit", {
        "name": "烏龍茶", "price": "100", "active": "on"}), {
        **WEB, "action": "product_shown", "entity_type": "product", "entity_id": 1,
        "before": {"active": False}, "after": {"active": True}}


def adjust_stock(shop, admin):
    shop.add_product(1, stock=3)
    return lambda: admin.post("/admin/products/1/stock", {"delta": "-2", "reason": "破損"}), {
        **WEB, "action": "stock_adjusted", "entity_type": "product", "entity_id": 1,
        "before": {"stock": 3}, "after": {"stock": 1, "delta": -2, "reason": "破損"}}


def adjust_stock_by_api(shop, admin):
    shop.add_product(1, stock=3)
    api = Api(shop)
    return lambda: api.post("/admin/api/products/1/stock", {"delta": 10, "reason": "進貨"}), {
        **API, "action": "stock_adjusted", "entity_type": "product", "entity_id": 1,
        "before": {"stock": 3}, "after": {"stock": 13, "delta": 10, "reason": "進貨"}}


def ship(shop, admin):
    order_id = paid_order(shop)
    return lambda: admin.post(f"/admin/orders/{order_id}/ship", {"tracking_note": "黑貓 9001"}), {
        **WEB, "action": "order_shipped", "entity_type": "order", "entity_id": order_id,
        "before": {"status": "paid"}, "after": {"status": "shipped", "tracking_note": "黑貓 9001"}}


def ship_by_api(shop, admin):
    order_id, api = paid_order(shop), Api(shop)
    return lambda: api.post(f"/admin/api/orders/{order_id}/ship", {"tracking_note": "郵局"}), {
        **API, "action": "order_shipped", "entity_type": "order", "entity_id": order_id,
        "before": {"status": "paid"}, "after": {"status": "shipped", "tracking_note": "郵局"}}


def cancel(shop, admin):
    order_id = unpaid_order(shop)
    return lambda: admin.post(f"/admin/orders/{order_id}/cancel"), {
        **WEB, "action": "order_cancelled", "entity_type": "order", "entity_id": order_id,
        "before": {"status": "pending"}, "after": {"status": "cancelled", "restocked": {"1": 2}}}


def cancel_by_api(shop, admin):
    order_id, api = unpaid_order(shop), Api(shop)
    return lambda: api.post(f"/admin/api/orders/{order_id}/cancel"), {
        **API, "action": "order_cancelled", "entity_type": "order", "entity_id": order_id,
        "before": {"status": "pending"}, "after": {"status": "cancelled", "restocked": {"1": 2}}}


def refund_by_api(shop, admin):
    order_id, api = paid_order(shop), Api(shop)
    body = {"amount": 50, "reason": "少一包", "restock": False, "note": "已轉帳"}
    return lambda: api.post(f"/admin/api/orders/{order_id}/refund", body), {
        **API, "action": "order_refunded", "entity_type": "order", "entity_id": order_id,
        "before": {"refunded": 0}, "after": {"refunded": 50, "refund_id": 1,
                                             "method": "atm_transfer", "reason": "少一包",
                                             "restocked_units": 0}}


@pytest.mark.parametrize("case", [
    login, wrong_password, api_token, create_product, edit_product, hide_product, show_product,
    adjust_stock, adjust_stock_by_api, ship, ship_by_api, cancel, cancel_by_api,
    refund_by_api],
    ids=lambda case: case.__name__)
def test_each_owner_action_writes_exactly_one_audit_row_with_before_and_after(shop, admin, case):
    act, expected = case(shop, admin)
    seen = len(audit_rows(shop))
    act()
    assert audit_rows(shop)[seen:] == [expected]


def test_a_wrong_password_for_an_unknown_email_is_not_recorded(shop, owner):
    AdminClient(shop.app.test_client()).login(email="nobody@shop.tw", password="guess")
    assert audit_rows(shop) == []


def test_refused_actions_change_nothing_and_leave_no_audit_row(shop, admin):
    shop.add_product(1, stock=3)
    pending = place_order(shop, shop.shopper(), 1, 1)
    api = Api(shop)
    seen = audit_rows(shop)
    admin.post("/admin/products/1/stock", {"delta": "-5", "reason": "盤點"})
    assert api.post("/admin/api/products/1/stock", {"delta": -5, "reason": "盤點"}).status_code == 409
    admin.post("/admin/products/new", {"id": "1", "name": "紅茶", "price": "90"})
    admin.post(f"/admin/orders/{pending}/ship", {"tracking_note": "x"})
    assert api.post(f"/admin/api/orders/{pending}/ship").status_code == 409
    assert shop.stock(1) == 2 and shop.order(pending)["status"] == "pending"
    assert audit_rows(shop) == seen


@contextmanager
def inserts_fail(shop, table: str):
    """PostgreSQL refuses every INSERT into `table` until the block ends."""
    shop.sql("CREATE FUNCTION test_forced_failure() RETURNS trigger LANGUAGE plpgsql AS "
             "$$ BEGIN RAISE EXCEPTION 'forced failure'; END $$")
    shop.sql(f"CREATE TRIGGER test_forced_failure BEFORE INSERT ON {table} "
             "FOR EACH ROW EXECUTE FUNCTION test_forced_failure()")
    try:
        yield
    finally:
        shop.sql(f"DROP TRIGGER test_forced_failure ON {table}")
        shop.sql("DROP FUNCTION test_forced_failure()")


def test_a_database_error_later_in_the_action_rolls_back_its_audit_row(shop, admin):
    order_id = paid_order(shop)
    api = Api(shop)
    seen = audit_rows(shop)
    with inserts_fail(shop, "outbox"):  # the shopper's notice comes after the audit row
        assert api.post(f"/admin/api/orders/{order_id}/ship", {"tracking_note": "x"}
                        ).status_code == 500
    assert shop.order(order_id)["status"] == "paid"
    assert audit_rows(shop) == seen


def test_an_audit_row_that_cannot_be_written_fails_the_action(shop, admin):
    shop.add_product(1, name="烏龍茶", stock=3)
    api = Api(shop)
    with inserts_fail(shop, "audit_log"):
        assert api.post("/admin/api/products/1/stock", {"delta": 5, "reason": "進貨"}
                        ).status_code == 500
    assert shop.stock(1) == 3
    assert shop.sql("SELECT count(*) AS n FROM stock_adjustments") == [{"n": 0}]
