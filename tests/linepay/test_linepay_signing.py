"""X-LINE-Authorization against hand-computed examples (shared/refs/linepay.md §2.3)."""
import uuid

from linepay import signing

# The sample secret printed in yidas's public gist (§2.3), not a merchant key; a fixed nonce.
SECRET = "a917ab6a2367b536f8e5a6e2977e06f4"
NONCE = "44453d45-768e-40e8-8349-748e797c450f"
BODY = ('{"amount":100,"currency":"TWD","orderId":"ORDER-1","packages":[{"id":"P1","amount":100,'
        '"products":[{"name":"測試","quantity":2,"price":50}]}],"redirectUrls":{"confirmUrl":'
        '"https://shop.example/confirm","cancelUrl":"https://shop.example/cancel"}}')
TRANSACTION_ID = "2021121600698709710"

# Each expected value was computed once by hand, not with the code under test:
#   base64.b64encode(hmac.new(SECRET.encode(), (SECRET + path + payload + NONCE).encode(),
#                             hashlib.sha256).digest())
# and equals the §2.3 vector that the refs checked with Python's hmac and Node's crypto.
REQUEST_SIGNATURE = "epS3mw68EZIRGgLKizqE/RmS3UnSIjQJ2p9tlKMvBqM="
CHECK_SIGNATURE = "uMZVJqsGcJ+V5aCiXrf2Rakxu3/Gb6i2eHVlZ9MXLLY="
REFUND_EMPTY_SIGNATURE = "LA15vAhPZcNg+BdLPjlbIH8BaXxX6S8wExopsPB3GQ4="
REFUND_BRACES_SIGNATURE = "34N3nsw34H/EzivklvcdjGVva60Fel+2sgK5/ig3Fbc="
DETAILS_SIGNATURE = "iFRVVk8mQzhKtlU2adl6cGysytM++r3PJjJ44w9Jigs="


def test_post_signs_secret_path_raw_utf8_body_and_nonce():
    assert len(BODY.encode("utf-8")) == 247
    assert signing.signature(SECRET, "/v3/payments/request", BODY, NONCE) == REQUEST_SIGNATURE


def test_escaped_unicode_is_a_different_message_with_a_different_signature():
    escaped = BODY.replace("測試", "\\u6e2c\\u8a66")
    assert signing.signature(SECRET, "/v3/payments/request", escaped, NONCE) \
        == "qVFqR7b+EliH+ds6K/G8DAfPzlNhtcRqT9W5D1XM7BE="


def test_get_signs_the_query_string_without_question_mark_or_nothing():
    path = f"/v3/payments/requests/{TRANSACTION_ID}/check"
    assert signing.signature(SECRET, path, "", NONCE) == CHECK_SIGNATURE
    query = f"transactionId={TRANSACTION_ID}&orderId=ORDER-1"
    assert signing.signature(SECRET, "/v3/payments", query, NONCE) == DETAILS_SIGNATURE


def test_an_empty_refund_body_and_braces_sign_differently():
    path = f"/v3/payments/{TRANSACTION_ID}/refund"
    assert signing.signature(SECRET, path, "", NONCE) == REFUND_EMPTY_SIGNATURE
    assert signing.signature(SECRET, path, "{}", NONCE) == REFUND_BRACES_SIGNATURE


def test_headers_carry_channel_id_a_fresh_uuid_nonce_and_its_signature():
    first = signing.auth_headers("1656000000", SECRET, "/v3/payments/request", BODY)
    second = signing.auth_headers("1656000000", SECRET, "/v3/payments/request", BODY)
    assert first["X-LINE-ChannelId"] == "1656000000"
    assert first["Content-Type"] == "application/json"
    assert uuid.UUID(first["X-LINE-Authorization-Nonce"]).version == 4
    assert first["X-LINE-Authorization-Nonce"] != second["X-LINE-Authorization-Nonce"]
    fixed = signing.auth_headers("1656000000", SECRET, "/v3/payments/request", BODY, NONCE)
    assert fixed["X-LINE-Authorization"] == REQUEST_SIGNATURE
    assert SECRET not in " ".join(first.values())
