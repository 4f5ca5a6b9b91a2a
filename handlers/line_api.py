"""The LINE Messaging API, one keep-alive client per process."""
import json
import logging
from dataclasses import dataclass

from urllib3.exceptions import HTTPError

from services.delivery import LineSendError

from linebot.v3.messaging import (ApiClient, ApiException, Configuration, MessagingApi,
                                  PushMessageRequest, ReplyMessageRequest)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    display_name: str | None
    language: str | None


class LineMessenger:
    """Reply, push and profile calls; every call has a timeout (the SDK has none by default)."""

    def __init__(self, base_url: str, access_token: str, timeout: float):
        configuration = Configuration(host=base_url.rstrip("/"), access_token=access_token)
        self._client = ApiClient(configuration)
        self._api = MessagingApi(self._client)
        self._timeout = timeout

    @property
    def api_client(self) -> ApiClient:
        return self._client

    def reply(self, reply_token: str, messages: list[dict]) -> None:
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        self._call(self._api.reply_message, request)

    def push(self, user_id: str, messages: list[dict], retry_key: str) -> None:
        """Push with LINE's retry key: a repeat of an accepted push is answered 409, not resent."""
        request = PushMessageRequest.from_dict({"to": user_id, "messages": messages})
        try:
            self._call(self._api.push_message, request, x_line_retry_key=retry_key)
        except LineSendError as error:
            if error.status != 409:
                raise

    def get_profile(self, user_id: str) -> Profile:
        profile = self._api.get_profile(user_id, _request_timeout=self._timeout)
        return Profile(profile.display_name, profile.language)

    def _call(self, method, request, **kwargs) -> None:
        try:
            method(request, _request_timeout=self._timeout, **kwargs)
        except ApiException as error:
            message = _error_message(error.body)
            status = error.status
            log.warning("event=line_api_error status=%s request_id=%s message=%s", status,
                        (error.headers or {}).get("x-line-request-id"), message)
            raise LineSendError(status, message, retry=status >= 500 or status == 429,
                                token_spent=status == 400 and "reply token" in message) from None
        except (HTTPError, OSError) as error:
            # A refused connection or a timeout surfaces as urllib3's error, not ApiException.
            raise LineSendError(None, type(error).__name__, retry=True) from None


def _error_message(body) -> str:
    try:
        return json.loads(body).get("message", "")
    except (TypeError, ValueError, AttributeError):
        return str(body)[:200]
