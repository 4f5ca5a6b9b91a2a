"""The test shop's settings: LINE channel, bank shop and keys, and the tables to empty."""

CHANNEL_SECRET = "test-channel-secret-0123456789ab"
ACCESS_TOKEN = "test-channel-access-token-SECRET"
SHOP_NO = "NA0249_001"
# The bank's public sandbox demo keys (shared/refs/sinopac-qpay.md §10.1, H2): not secrets.
HASH_KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
X_KEY_ID = "b0c8a2e4-1f3d-4c5b-9a7e-6d2f8e1c0a9b"
# The LINE emulator's own channel in tests/sandbox (apart from the shop's above).
EMULATOR_SECRET = "8c570fa6dd201bb328f1c1eac23a96d8"
EMULATOR_TOKEN = "test-channel-access-token"
LINEPAY_CHANNEL_ID = "1656000000"
LINEPAY_SECRET = "test-linepay-channel-secret-0123"
TABLES = ("products, shoppers, cart_items, coupons, orders, order_items, payment_attempts, "
          "inbox, outbox, stock_adjustments, admins, login_throttle, bank_notices, "
          "group_invitations, audit_log, reminders_sent, scheduled_jobs, announcements, "
          "announcement_batches")


def settings_for(database_url, line_url, bank_url, public_url, **overrides) -> dict:
    return {
        "DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "LINE_API_BASE_URL": line_url,
        "SINOPAC_API_URL": f"{bank_url}/api",
        "SINOPAC_SHOP_NO": SHOP_NO,
        "SINOPAC_HASH_A1": HASH_KEYS[0], "SINOPAC_HASH_A2": HASH_KEYS[1],
        "SINOPAC_HASH_B1": HASH_KEYS[2], "SINOPAC_HASH_B2": HASH_KEYS[3],
        "SINOPAC_X_KEY_ID": X_KEY_ID,
        "PUBLIC_BASE_URL": public_url,
        "WORKER_THREADS": "0",
        "HTTP_TIMEOUT": "3",
        **{key: str(value) for key, value in overrides.items()},
    }


def linepay_settings(linepay) -> dict:
    """make_shop(**linepay_settings(linepay)): the bot offers LINE Pay through the emulator."""
    return {"LINEPAY_CHANNEL_ID": LINEPAY_CHANNEL_ID, "LINEPAY_CHANNEL_SECRET": LINEPAY_SECRET,
            "LINEPAY_API_URL": linepay.url}
