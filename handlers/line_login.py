"""LINE Login: who a LIFF ID token belongs to, asked of LINE and remembered until it expires."""
import hashlib
import logging
import threading
import time
from collections import OrderedDict

import requests

log = logging.getLogger(__name__)

VERIFY_PATH = "/oauth2/v2.1/verify"


class LoginUnavailableError(Exception):
    """LINE could not be asked (connection error, timeout, 5xx): not the shopper's fault."""


class IdTokenVerifier:
    """Verifies LIFF ID tokens with `POST /oauth2/v2.1/verify` (line-platform.md §9).

    Verified tokens are cached until their `exp`, so a page load costs at most one call to LINE;
    the cache holds at most `cache_size` tokens (oldest dropped first), keyed by a hash of the
    token so no usable token sits in memory. PostgreSQL stays the truth: this is only a cache.
    """

    def __init__(self, base_url: str, channel_id: str | None, timeout: float, *,
                 cache_size: int = 2048, session: requests.Session | None = None,
                 clock=time.time):
        self._url = base_url.rstrip("/") + VERIFY_PATH
        self._channel_id = channel_id
        self._timeout = timeout
        self._session = session or requests.Session()
        self._clock = clock
        self._cache_size = cache_size
        self._cache: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def user_id(self, id_token: str) -> str | None:
        """The LINE user id (`sub`) of a valid token for our channel; None when LINE refuses it.

        :raise LoginUnavailableError: LINE didn't answer.
        """
        if not self._channel_id or not id_token:
            return None
        key = hashlib.sha256(id_token.encode()).hexdigest()
        now = self._clock()
        with self._lock:
            cached = self._cache.get(key)
            if cached and cached[1] > now:
                self._cache.move_to_end(key)
                return cached[0]
            self._cache.pop(key, None)
        claims = self._ask_line(id_token)
        if claims is None:
            return None
        sub, exp = claims.get("sub"), claims.get("exp")
        # LINE checks aud and exp itself; checking again costs nothing and guards a stale answer.
        if (not isinstance(sub, str) or not sub or claims.get("aud") != self._channel_id
                or not isinstance(exp, (int, float)) or exp <= now):
            return None
        with self._lock:
            self._cache[key] = (sub, float(exp))
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return sub

    def cached_count(self) -> int:
        with self._lock:
            return len(self._cache)

    def _ask_line(self, id_token: str) -> dict | None:
        started = time.monotonic()
        try:
            response = self._session.post(
                self._url, data={"id_token": id_token, "client_id": self._channel_id},
                timeout=self._timeout)
        except requests.RequestException as error:
            log.warning("event=id_token_verify_failed error=%s", type(error).__name__)
            raise LoginUnavailableError() from None
        elapsed_ms = round((time.monotonic() - started) * 1000)
        log.info("event=id_token_verified status=%s elapsed_ms=%s request_id=%s",
                 response.status_code, elapsed_ms, response.headers.get("x-line-request-id"))
        if response.status_code >= 500 or response.status_code == 429:
            raise LoginUnavailableError()
        if response.status_code != 200:
            return None  # 400: invalid, expired, wrong audience (the description says which)
        try:
            claims = response.json()
        except ValueError:
            raise LoginUnavailableError() from None
        return claims if isinstance(claims, dict) else None
