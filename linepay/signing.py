"""Pure LINE Pay request signing (shared/refs/linepay.md §2).

X-LINE-Authorization = Base64(HMAC-SHA256(key=channel secret,
message=channel secret + API path + (POST body | GET query string without "?") + nonce)).
"""
import base64
import hashlib
import hmac
import uuid


def signature(channel_secret: str, path: str, payload: str, nonce: str) -> str:
    """Return the Base64 HMAC-SHA256 of secret + path + payload + nonce (§2.2).

    `payload` is the exact body text sent (POST) or the encoded query string (GET), "" if none.
    """
    message = channel_secret + path + payload + nonce
    digest = hmac.new(channel_secret.encode("utf-8"), message.encode("utf-8"),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def new_nonce() -> str:
    """Return a fresh one-time nonce: a UUID v4 (§2.1)."""
    return str(uuid.uuid4())


def auth_headers(channel_id: str, channel_secret: str, path: str, payload: str,
                 nonce: str | None = None) -> dict[str, str]:
    """Return the four headers every call carries (§2.1), signed over `payload`."""
    nonce = nonce or new_nonce()
    return {
        # §2.1: the docs list Content-Type for every call, GET included.
        "Content-Type": "application/json",
        "X-LINE-ChannelId": channel_id,
        "X-LINE-Authorization-Nonce": nonce,
        "X-LINE-Authorization": signature(channel_secret, path, payload, nonce),
    }
