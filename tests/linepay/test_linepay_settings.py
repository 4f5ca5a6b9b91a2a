"""LINE Pay settings are optional: unset, nothing changes; set, they build a client."""
import pytest

from config import ConfigError, load_settings
from linepay import LinePayClient
from tests.support.settings import settings_for

BASE = settings_for("postgresql://unused", "http://line", "http://bank", "http://shop")


def test_without_linepay_settings_line_pay_is_not_offered():
    settings = load_settings(BASE, environ={})
    assert not settings.linepay_enabled
    assert settings.linepay_api_url == "https://sandbox-api-pay.line.me"


def test_linepay_settings_build_a_client_and_keep_the_secret_out_of_repr():
    settings = load_settings({**BASE, "LINEPAY_CHANNEL_ID": "1656000000",
                              "LINEPAY_CHANNEL_SECRET": "lp-secret-0123456789",
                              "LINEPAY_API_URL": "https://api-pay.line.me/"}, environ={})
    assert settings.linepay_enabled and settings.linepay_api_url == "https://api-pay.line.me"
    client = LinePayClient(settings.linepay_api_url, settings.linepay_channel_id,
                           settings.linepay_channel_secret, timeout=settings.http_timeout)
    assert "lp-secret" not in repr(settings) + repr(client)


@pytest.mark.parametrize("name", ["LINEPAY_CHANNEL_ID", "LINEPAY_CHANNEL_SECRET"])
def test_half_a_linepay_channel_is_refused_with_a_clear_message(name):
    with pytest.raises(ConfigError, match="LINEPAY_CHANNEL_ID and LINEPAY_CHANNEL_SECRET"):
        load_settings({**BASE, name: "x"}, environ={})
