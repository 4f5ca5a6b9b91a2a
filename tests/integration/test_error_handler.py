"""One error handler on the app: an unexpected error is logged once and answered briefly."""
import logging

import pytest

from services import admin_catalog, bank_notices, reports
from tests.support.admin import EMAIL, AdminClient, create_owner
from tests.support.settings import SHOP_NO


def boom(*args, **kwargs):
    raise RuntimeError("the disk is on fire")


def error_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("event=")]


def test_an_unexpected_error_in_the_bank_notice_is_logged_once_and_answered_as_json(
        shop, monkeypatch, caplog):
    monkeypatch.setattr(bank_notices, "receive", boom)  # storing the notice fails
    caplog.set_level(logging.INFO)
    response = shop.app.test_client().post("/sinopac/notify",
                                           json={"ShopNo": SHOP_NO, "PayToken": "a" * 64})
    assert response.status_code == 500
    assert response.get_json() == {"Status": "F", "Message": "internal error"}
    assert error_lines(caplog) == ["event=unexpected_error path=/sinopac/notify error=RuntimeError"]


@pytest.fixture
def owner_client(shop):
    create_owner(shop.app)
    client = AdminClient(shop.app.test_client())
    assert client.login().status_code == 303
    return client


def test_an_unexpected_error_in_the_back_office_shows_a_short_page(shop, owner_client,
                                                                   monkeypatch, caplog):
    monkeypatch.setattr(reports, "dashboard", boom)
    caplog.set_level(logging.INFO)
    response = owner_client.get("/admin/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "系統發生錯誤" in page
    assert "Traceback" not in page and "disk is on fire" not in page
    assert error_lines(caplog) == ["event=unexpected_error path=/admin/ error=RuntimeError"]


def test_an_unexpected_error_in_the_admin_api_answers_json(shop, monkeypatch, caplog):
    create_owner(shop.app)
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    monkeypatch.setattr(admin_catalog, "list_all", boom)
    caplog.set_level(logging.INFO)
    response = shop.app.test_client().get("/admin/api/products",
                                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 500 and "internal error" in response.get_json()["message"]
    assert error_lines(caplog) == [
        "event=unexpected_error path=/admin/api/products error=RuntimeError"]

