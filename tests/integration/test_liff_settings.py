"""The shop page (LIFF) is off unless LIFF_ID is set, and then served at /liff/ and below."""
import pytest

from config import LIFF_SDK_EDGE_URL, ConfigError, load_settings
from tests.support.settings import settings_for


def settings(**overrides):
    return load_settings(settings_for("postgresql:///x", "http://l", "http://b", "http://p",
                                      **overrides), environ={})


def test_liff_is_off_by_default_and_loads_lines_own_sdk():
    plain = settings()
    assert (plain.liff_id, plain.line_login_channel_id, plain.allow_http_images) == (None, None, False)
    assert plain.liff_sdk_url == LIFF_SDK_EDGE_URL


def test_a_liff_id_needs_its_login_channel():
    with pytest.raises(ConfigError, match="LINE_LOGIN_CHANNEL_ID"):
        settings(LIFF_ID="2000000000-AbcdEfgh")


@pytest.mark.parametrize("raw, value", [("1", True), ("true", True), ("off", False), ("0", False)])
def test_allow_http_images_reads_a_yes_or_no(raw, value):
    assert settings(ALLOW_HTTP_IMAGES=raw).allow_http_images is value


def test_allow_http_images_refuses_anything_else():
    with pytest.raises(ConfigError, match="ALLOW_HTTP_IMAGES"):
        settings(ALLOW_HTTP_IMAGES="maybe")


def test_the_page_is_404_without_liff_id(shop):
    client = shop.app.test_client()
    assert client.get("/liff/").status_code == 404
    assert client.get("/liff/orders/1").status_code == 404


def test_the_page_is_served_for_the_endpoint_and_every_path_below_it(make_shop):
    shop = make_shop(LINE_LOGIN_CHANNEL_ID="2000000000", LIFF_ID="2000000000-AbcdEfgh",
                     LIFF_SDK_URL="https://sdk.example/sdk.js")
    client = shop.app.test_client()
    for path in ("/liff/", "/liff/orders/42", "/liff/products/1"):
        page = client.get(path)
        assert page.status_code == 200
        assert b'<script src="https://sdk.example/sdk.js">' in page.data
        assert b'"liffId": "2000000000-AbcdEfgh"' in page.data
    with client.get("/liff/assets/shop.js") as script:
        assert script.mimetype == "text/javascript"


def test_http_pictures_are_refused_in_production():
    with pytest.raises(ConfigError, match="ALLOW_HTTP_IMAGES"):
        load_settings(settings_for("postgresql:///x", "http://l", "http://b", "https://p",
                                   ALLOW_HTTP_IMAGES="1", APP_ENV="production",
                                   SECRET_KEY="k" * 64), environ={})
