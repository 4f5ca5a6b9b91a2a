"""LINE Login in the emulator: one channel, its LIFF apps, the ID tokens it issues and checks.

Rules cited as §x refer to ../shared/refs/line-platform.md (§8 LIFF, §9 ID token verification).
"""
import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from urllib.parse import quote, urlencode

ISSUER = "https://access.line.me"
TOKEN_LIFETIME_SECONDS = 3600  # LIFF ID tokens last one hour (§8.3)
LIFF_URL = re.compile(r"https://liff\.line\.me/(?P<liff_id>[^/?#]+)(?P<rest>[^#]*)")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LineLogin:
    """One LINE Login channel with its LIFF apps; signs its own tokens (HS256, like web login)."""

    def __init__(self, channel_id: str = "2000000000", clock=time.time):
        self.channel_id = channel_id
        self.clock = clock
        self.liff_apps: dict[str, str] = {}  # LIFF id → endpoint URL
        self.verify_calls = 0
        self._key = secrets.token_bytes(32)

    def add_liff_app(self, endpoint_url: str, liff_id: str | None = None) -> str:
        """Register a LIFF app (console: LINE Login channel → LIFF → Add); returns its LIFF id."""
        liff_id = liff_id or f"{self.channel_id}-{secrets.token_hex(4)}"
        self.liff_apps[liff_id] = endpoint_url
        return liff_id

    def issue_id_token(self, user_id: str, name: str, *, audience: str | None = None,
                       lifetime: float = TOKEN_LIFETIME_SECONDS) -> str:
        """A signed ID token for a shopper; tests pass another `audience` or a past `lifetime`."""
        now = int(self.clock())
        payload = {"iss": ISSUER, "sub": user_id, "aud": audience or self.channel_id,
                   "exp": int(now + lifetime), "iat": now, "amr": ["linesso"], "name": name}
        head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(payload, ensure_ascii=False).encode())
        return f"{head}.{body}.{self._sign(head, body)}"

    def _sign(self, head: str, body: str) -> str:
        return _b64(hmac.new(self._key, f"{head}.{body}".encode(), hashlib.sha256).digest())

    def verify(self, id_token: str, client_id: str) -> tuple[int, dict]:
        """LINE's answer to `POST /oauth2/v2.1/verify`: (200, claims) or (400, error) (§9)."""
        self.verify_calls += 1
        try:
            head, body, signature = id_token.split(".")
            claims = json.loads(_unb64(body))
            valid = hmac.compare_digest(signature, self._sign(head, body))
        except (ValueError, UnicodeDecodeError):
            valid = False
        if not valid:
            return 400, verify_error("Invalid IdToken.")
        if claims["exp"] <= self.clock():
            return 400, verify_error("IdToken expired.")
        if claims["aud"] != client_id:
            return 400, verify_error("Invalid IdToken Audience.")
        return 200, claims

    def launch_url(self, liff_url: str, user_id: str, name: str, language: str) -> str | None:
        """Where LINE sends the browser for a LIFF URL (the primary redirect), or None if unknown."""
        match = LIFF_URL.fullmatch(liff_url)
        endpoint = self.liff_apps.get(match["liff_id"]) if match else None
        if endpoint is None:
            return None
        rest = match["rest"].strip("/")
        query = f"?liff.state={quote('/' + rest, safe='')}" if rest else ""
        fragment = urlencode({"liff.id_token": self.issue_id_token(user_id, name),
                              "liff.lang": language, "liff.id": match["liff_id"]})
        return f"{endpoint}{query}#{fragment}"


def verify_error(description: str) -> dict:
    return {"error": "invalid_request", "error_description": description}
