"""Settings, read once from the environment (12-factor)."""
import os
import re
from dataclasses import dataclass, fields
from typing import Mapping

SINOPAC_SANDBOX_URL = "https://apisbx.sinopac.com/funBIZ-Sbx/QPay.WebAPI/api"
LINEPAY_SANDBOX_URL = "https://sandbox-api-pay.line.me"
# LINE's CDN "edge" path: the latest LIFF SDK 2.x (line-platform.md §8.3).
LIFF_SDK_EDGE_URL = "https://static.line-scdn.net/liff/edge/2/sdk.js"

QUOTA_RESERVE = re.compile(r"(100|[1-9]?[0-9])%|[0-9]{1,9}")

REQUIRED = (
    "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "SINOPAC_SHOP_NO",
    "SINOPAC_HASH_A1",
    "SINOPAC_HASH_A2",
    "SINOPAC_HASH_B1",
    "SINOPAC_HASH_B2",
    "SINOPAC_X_KEY_ID",
    "PUBLIC_BASE_URL",
)
# Outside local use nothing may fall back to a local default (see `is_production`).
REQUIRED_IN_PRODUCTION = ("DATABASE_URL", "SECRET_KEY")


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    line_channel_secret: str
    line_channel_access_token: str
    sinopac_shop_no: str
    sinopac_hash_a1: str
    sinopac_hash_a2: str
    sinopac_hash_b1: str
    sinopac_hash_b2: str
    sinopac_x_key_id: str
    public_base_url: str
    database_url: str | None = None
    line_api_base_url: str = "https://api.line.me"
    sinopac_api_url: str = SINOPAC_SANDBOX_URL
    # Threads per process that work the inbox; 0 leaves it to `flask worker` or tests.
    # They mostly wait (on PostgreSQL's commit flush, on LINE), so more than the cores.
    worker_threads: int = 8
    # Seconds an inbox event stays leased to one worker (renewed while it is worked).
    inbox_lease_seconds: int = 30
    # Days finished inbox/outbox rows and old login failures are kept before `flask prune`.
    prune_after_days: int = 30
    # Per process: gunicorn's 8 threads + the inbox workers + their poller and heartbeat.
    db_pool_size: int = 20
    # Minutes a checked-out order holds its stock before a payment method is chosen,
    # and how long a card attempt may stay unpaid (the bank's card page lives 30 min).
    order_hold_minutes: int = 60
    card_hold_minutes: int = 40
    atm_expire_days: int = 1
    http_timeout: float = 10.0
    # Seconds one OrderCreate may take in all (retries and the OrderQuery that looks for a
    # lost answer included), so a shopper whose bank hangs hears back within ~12 s.
    bank_timeout: float = 10.0
    shop_name: str = "LINE 小舖"
    # The coupon every new follower gets once: NT$ off ('amount') or % off ('percent'),
    # usable on a subtotal of at least COUPON_MIN_SPEND within COUPON_DAYS.
    coupon_kind: str = "amount"
    coupon_value: int = 50
    coupon_min_spend: int = 300
    coupon_days: int = 30
    log_level: str = "INFO"
    # Signs the admin session cookie; unset (local use only), admin.security generates one.
    secret_key: str | None = None
    low_stock_threshold: int = 5
    # LINE Pay is optional: offered only when both channel id and secret are set.
    linepay_channel_id: str | None = None
    linepay_channel_secret: str | None = None
    linepay_api_url: str = LINEPAY_SANDBOX_URL
    production: bool = False
    # Proxies in front of the app whose X-Forwarded-* headers are believed (the PaaS router).
    trusted_proxy_hops: int = 0
    # The shop page inside LINE (LIFF): off unless LIFF_ID is set. ID tokens are verified
    # against the LINE Login channel the LIFF app belongs to (line-platform.md §8.1, §9).
    line_login_channel_id: str | None = None
    liff_id: str | None = None
    liff_sdk_url: str = LIFF_SDK_EDGE_URL
    # Sandbox only: keep http:// product pictures in Flex cards (LINE itself requires https).
    allow_http_images: bool = False
    # Reminders: an unpaid ATM order this many hours before its deadline; a cart untouched
    # this long. QUOTA_RESERVE: messages of the month kept for payment and shipping news, which
    # reminders and announcements may not use ("10%" of LINE's limit, or a count).
    atm_remind_hours: int = 6
    cart_remind_hours: int = 24
    quota_reserve: str = "10%"

    @property
    def hash_keys(self) -> tuple[str, str, str, str]:
        return (self.sinopac_hash_a1, self.sinopac_hash_a2,
                self.sinopac_hash_b1, self.sinopac_hash_b2)

    @property
    def linepay_enabled(self) -> bool:
        """True when a LINE Pay channel is configured."""
        return bool(self.linepay_channel_id and self.linepay_channel_secret)

    def __repr__(self) -> str:
        # Never let a secret reach a log line through repr().
        return f"Settings(shop_no={self.sinopac_shop_no!r}, public_base_url={self.public_base_url!r})"


def load_settings(overrides: Mapping[str, object] | None = None,
                  environ: Mapping[str, str] = os.environ) -> Settings:
    """Build Settings from the environment, with test overrides on top.

    :raise ConfigError: naming every missing required variable at once.
    """
    source = {**environ, **(overrides or {})}
    production = is_production(source)
    required = REQUIRED + (REQUIRED_IN_PRODUCTION if production else ())
    missing = [name for name in required if not str(source.get(name) or "").strip()]
    public_url = str(source.get("PUBLIC_BASE_URL") or "").strip()
    if production and public_url and not public_url.startswith("https://"):
        missing.append("PUBLIC_BASE_URL (https:// in production)")
    if missing:
        raise ConfigError("missing required settings: " + ", ".join(missing))
    values = {"production": production, "trusted_proxy_hops": 1 if production else 0}
    for field in fields(Settings):
        if field.name == "production":
            continue
        raw = source.get(field.name.upper())
        if raw is None or raw == "":
            continue
        try:
            values[field.name] = _coerce(field.type, raw)
        except ValueError:
            raise ConfigError(f"{field.name.upper()} must be a {field.type}") from None
    if values.get("coupon_kind", "amount") not in ("amount", "percent"):
        raise ConfigError("COUPON_KIND must be 'amount' or 'percent'")
    if values.get("coupon_value", 50) <= 0 or (
            values.get("coupon_kind") == "percent" and values["coupon_value"] > 100):
        raise ConfigError("COUPON_VALUE must be > 0 (and ≤ 100 for percent)")
    if ("linepay_channel_id" in values) != ("linepay_channel_secret" in values):
        raise ConfigError("LINEPAY_CHANNEL_ID and LINEPAY_CHANNEL_SECRET go together: "
                          "set both to offer LINE Pay, or neither")
    if values["trusted_proxy_hops"] < 0:
        raise ConfigError("TRUSTED_PROXY_HOPS must be 0 or more")
    for name in ("inbox_lease_seconds", "prune_after_days"):
        if values.get(name, 1) < 1:
            raise ConfigError(f"{name.upper()} must be at least 1")
    if values.get("liff_id") and not values.get("line_login_channel_id"):
        raise ConfigError("LIFF_ID needs LINE_LOGIN_CHANNEL_ID (the LIFF app's LINE Login channel)")
    if production and values.get("allow_http_images"):
        raise ConfigError("ALLOW_HTTP_IMAGES is for the sandbox only: LINE needs https pictures")
    for name in ("atm_remind_hours", "cart_remind_hours"):
        if values.get(name, 1) < 1:
            raise ConfigError(f"{name.upper()} must be at least 1")
    if not QUOTA_RESERVE.fullmatch(values.get("quota_reserve", "10%")):
        raise ConfigError("QUOTA_RESERVE must be a percentage of the quota (10%) or a count (500)")
    values["public_base_url"] = values["public_base_url"].rstrip("/")
    values["sinopac_api_url"] = values.get("sinopac_api_url", SINOPAC_SANDBOX_URL).rstrip("/")
    values["linepay_api_url"] = values.get("linepay_api_url", LINEPAY_SANDBOX_URL).rstrip("/")
    return Settings(**values)


def is_production(source: Mapping[str, str]) -> bool:
    """Production on a PaaS dyno (Heroku and look-alikes set DYNO) or when APP_ENV=production.

    Anything else is local use (the sandbox, tests, a laptop): embedded PostgreSQL and a
    generated SECRET_KEY are allowed there, and only there.
    """
    return bool(str(source.get("DYNO") or "").strip()) or \
        str(source.get("APP_ENV") or "").strip().lower() == "production"


def _coerce(kind, raw):
    if kind in (bool, "bool"):
        if str(raw).strip().lower() not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            raise ValueError(raw)
        return str(raw).strip().lower() in ("1", "true", "yes", "on")
    if kind in (int, "int"):
        return int(raw)
    if kind in (float, "float"):
        return float(raw)
    return str(raw).strip()
