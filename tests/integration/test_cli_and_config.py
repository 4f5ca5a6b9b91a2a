"""The commands an engineer runs, and the settings the app refuses to start without."""
import json

import pytest

from app import create_app
from config import ConfigError, load_settings
from tests.support.settings import settings_for


def test_missing_settings_are_all_named_at_once():
    with pytest.raises(ConfigError) as error:
        load_settings({}, environ={"LINE_CHANNEL_SECRET": "x", "SINOPAC_HASH_A1": " "})
    message = str(error.value)
    for name in ("LINE_CHANNEL_ACCESS_TOKEN", "SINOPAC_SHOP_NO", "SINOPAC_HASH_A1",
                 "SINOPAC_X_KEY_ID", "PUBLIC_BASE_URL"):
        assert name in message
    assert "LINE_CHANNEL_SECRET" not in message


def test_settings_never_show_secrets_in_repr(database_url):
    settings = load_settings(settings_for(database_url, "http://l", "http://b", "http://p"),
                             environ={})
    assert "test-channel-secret" not in repr(settings)
    assert settings.sinopac_api_url == "http://b/api"


def _production(database_url, **changes) -> dict:
    settings = settings_for(database_url, "http://l", "http://b", "https://shop.example.tw",
                            SECRET_KEY="k" * 64)
    settings.update(changes)
    return {name: value for name, value in settings.items() if value is not None}


@pytest.mark.parametrize("switch", [{"DYNO": "web.1"}, {"APP_ENV": "production"}])
def test_production_refuses_to_start_without_its_database_key_and_https_naming_them_all(
        database_url, switch):
    with pytest.raises(ConfigError) as error:
        load_settings(_production(database_url, DATABASE_URL=None, SECRET_KEY=None,
                                  PUBLIC_BASE_URL="http://shop.example.tw", **switch),
                      environ={})
    message = str(error.value)
    for name in ("DATABASE_URL", "SECRET_KEY", "PUBLIC_BASE_URL (https:// in production)"):
        assert name in message
    settings = load_settings(_production(database_url, **switch), environ={})
    assert settings.production and settings.trusted_proxy_hops == 1


def test_local_use_allows_embedded_postgres_and_a_generated_key_and_trusts_no_proxy(database_url):
    settings = load_settings(settings_for(None, "http://l", "http://b", "http://127.0.0.1:8000"),
                             environ={"APP_ENV": "development"})
    assert not settings.production
    assert settings.database_url is None and settings.secret_key is None
    assert settings.trusted_proxy_hops == 0
    assert load_settings(_production(database_url, TRUSTED_PROXY_HOPS="2", DYNO="web.1"),
                         environ={}).trusted_proxy_hops == 2


def test_a_local_app_keeps_its_generated_key_across_restarts(database_url, tmp_path):
    from admin.security import local_secret_key

    first = local_secret_key(str(tmp_path / "instance"))
    assert local_secret_key(str(tmp_path / "instance")) == first
    assert len(first) == 64
    assert oct((tmp_path / "instance" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_init_db_is_idempotent(shop):
    runner = shop.app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output


def test_import_products_upserts_the_catalog(shop, tmp_path):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps([
        {"id": 1, "name": "烏龍茶", "price": 450, "stock": 20},
        {"id": 2, "name": "芒果乾", "price": 280, "stock": 5, "image_url": "https://x/m.jpg",
         "description": "甜"},
    ], ensure_ascii=False), encoding="utf-8")
    runner = shop.app.test_cli_runner()
    assert "Imported 2 products" in runner.invoke(args=["import-products", str(catalog)]).output
    catalog.write_text(json.dumps([{"id": 1, "name": "高山烏龍茶", "price": 500, "stock": 7}],
                                  ensure_ascii=False), encoding="utf-8")
    runner.invoke(args=["import-products", str(catalog)])
    rows = shop.sql("SELECT id, name, price, stock FROM products ORDER BY id")
    assert [tuple(r.values()) for r in rows] == [(1, "高山烏龍茶", 500, 7), (2, "芒果乾", 280, 5)]


def test_demo_catalog_imports(shop):
    result = shop.app.test_cli_runner().invoke(args=["import-products", "data/demo_products.json"])
    assert result.exit_code == 0, result.output
    assert shop.sql("SELECT count(*) AS n FROM products")[0]["n"] >= 5


@pytest.mark.parametrize("content, problem", [
    ("not json", "catalog.json"),
    ('{"id": 1}', "JSON array"),
    ('[{"id": 0, "name": "x", "price": 1, "stock": 1}]', "positive"),
    ('[{"id": 1, "name": "", "price": 1, "stock": 1}]', "name"),
    ('[{"id": 1, "name": "x", "price": -1, "stock": 1}]', "price"),
    ('[{"id": 1, "name": "x", "price": 1, "stock": "3"}]', "stock"),
    ('[{"id": 1, "name": "x", "price": 1, "stock": 1}, {"id": 1, "name": "y", "price": 1, "stock": 1}]', "twice"),
])
def test_bad_catalog_is_refused_with_a_clear_message_and_nothing_imported(shop, tmp_path,
                                                                          content, problem):
    catalog = tmp_path / "catalog.json"
    catalog.write_text(content, encoding="utf-8")
    result = shop.app.test_cli_runner().invoke(args=["import-products", str(catalog)])
    assert result.exit_code != 0 and problem in result.output
    assert shop.sql("SELECT count(*) AS n FROM products")[0]["n"] == 0


def test_create_app_without_settings_refuses_to_start(monkeypatch):
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError, match="LINE_CHANNEL_SECRET"):
        create_app()
