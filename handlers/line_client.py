"""The LINE Messaging API, one keep-alive client per process."""
import json
import logging
import math
from contextlib import contextmanager
from dataclasses import dataclass

import urllib3
from linebot.v3.messaging import ApiClient, ApiException, Configuration, MessagingApi
from urllib3.exceptions import HTTPError

from handlers.delivery import LineSendError

log = logging.getLogger(__name__)

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
MAX_MULTICAST_TO = 500  # line-platform.md §12
# Kept-alive connections to LINE: more than the threads that send at once (web + inbox workers),
# so none is opened per call.
POOL_SIZE = 32
LOADING_TIMEOUT = 2.0


@dataclass(frozen=True)
class Profile:
    display_name: str | None
    language: str | None


@dataclass(frozen=True)
class Quota:
    """This month's messages: the target limit (None: no limit set) and how many were used."""

    limit: int | None
    used: int


class LineMessenger:
    """Reply, push, multicast, quota and profile calls; every call has a timeout (the SDK has
    none by default)."""

    def __init__(self, base_url: str, access_token: str, timeout: float):
        self._base_url = base_url.rstrip("/")
        configuration = Configuration(host=self._base_url, access_token=access_token)
        self._client = ApiClient(configuration)
        self._api = MessagingApi(self._client)
        self._timeout = timeout
        # One host: its connection pool directly (no PoolManager URL parsing per call).
        self._http = urllib3.connection_from_url(self._base_url, maxsize=POOL_SIZE,
                                                 timeout=timeout)
        self._path_prefix = urllib3.util.parse_url(self._base_url).path or ""
        self._headers = {**JSON_HEADERS, "Authorization": f"Bearer {access_token}",
                         "User-Agent": self._client.user_agent}

    @property
    def api_client(self) -> ApiClient:
        return self._client

    def reply(self, reply_token: str, messages: list[dict]) -> None:
        self._post("/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages})

    def push(self, user_id: str, messages: list[dict], retry_key: str) -> None:
        """Push with LINE's retry key: a repeat of an accepted push is answered 409, not resent."""
        try:
            self._post("/v2/bot/message/push", {"to": user_id, "messages": messages},
                       {"X-Line-Retry-Key": retry_key})
        except LineSendError as error:
            if error.status != 409:
                raise

    def multicast(self, user_ids: list[str], messages: list[dict], retry_key: str) -> None:
        """Send to 1–500 users with LINE's retry key: a repeat of an accepted batch is answered
        409, not resent (line-platform.md §2.5)."""
        if not 1 <= len(user_ids) <= MAX_MULTICAST_TO:
            raise ValueError(f"multicast takes 1 to {MAX_MULTICAST_TO} user ids")
        try:
            self._post("/v2/bot/message/multicast", {"to": list(user_ids), "messages": messages},
                       {"X-Line-Retry-Key": retry_key})
        except LineSendError as error:
            if error.status != 409:
                raise

    def quota(self) -> Quota:
        """The month's target limit and use (line-platform.md §11); LineSendError on failure."""
        with _line_errors():
            limit = self._api.get_message_quota(_request_timeout=self._timeout)
            usage = self._api.get_message_quota_consumption(_request_timeout=self._timeout)
        return Quota(limit.value if limit.type == "limited" else None, usage.total_usage)

    def show_loading(self, user_id: str, seconds: float) -> None:
        """LINE's loading animation in the shopper's chat for about `seconds`; best effort.

        Any message we send ends it early. A short timeout: the animation must never delay
        the work it is shown for.
        """
        try:
            self._post("/v2/bot/chat/loading/start",
                       {"chatId": user_id, "loadingSeconds": loading_seconds(seconds)},
                       timeout=LOADING_TIMEOUT)
        except LineSendError as error:
            log.info("event=loading_not_shown status=%s", error.status)

    def get_profile(self, user_id: str) -> Profile:
        profile = self._api.get_profile(user_id, _request_timeout=self._timeout)
        return Profile(profile.display_name, profile.language)

    def _post(self, path: str, body: dict, headers: dict | None = None,
              timeout: float | None = None) -> None:
        """POST our own message JSON on a kept-alive urllib3 connection.

        Sends go straight to urllib3: the SDK's call_api walks every Flex node to sanitise
        it and its request models re-validate them with pydantic, more CPU than the rest of an
        event; our builders are tested against LINE's limits.
        """
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            response = self._http.urlopen("POST", self._path_prefix + path, body=data,
                                          headers={**self._headers, **(headers or {})},
                                          timeout=timeout or self._timeout)
        except (HTTPError, OSError) as error:
            # A refused connection or a timeout: nothing was answered, try again later.
            raise LineSendError(None, type(error).__name__, retry=True) from None
        if response.status >= 400:
            raise _send_error(response.status, response.headers.get("x-line-request-id"),
                              response.data)


@contextmanager
def _line_errors():
    """Turn the SDK's and urllib3's failures into LineSendError, logged once."""
    try:
        yield
    except ApiException as error:
        raise _send_error(error.status, (error.headers or {}).get("x-line-request-id"),
                          error.body) from None
    except (HTTPError, OSError) as error:
        # A refused connection or a timeout surfaces as urllib3's error, not ApiException.
        raise LineSendError(None, type(error).__name__, retry=True) from None


def _send_error(status: int, request_id: str | None, body) -> LineSendError:
    """LINE's refusal as a LineSendError (logged once): retry on 5xx and 429 only."""
    message = _error_message(body)
    log.warning("event=line_api_error status=%s request_id=%s message=%s", status, request_id,
                message)
    return LineSendError(status, message, retry=status >= 500 or status == 429,
                         token_spent=status == 400 and "reply token" in message)


def loading_seconds(seconds: float) -> int:
    """LINE's loadingSeconds for a wait of `seconds`: a multiple of 5 from 5 to 60 (§2.2)."""
    return min(60, max(5, 5 * math.ceil(seconds / 5)))


def _error_message(body) -> str:
    try:
        return json.loads(body).get("message", "")
    except (TypeError, ValueError, AttributeError):
        return str(body)[:200]
