"""Deliver webhook events to the bot exactly as the LINE Platform does (line-platform.md §1, §7.1).

The body is serialised once to compact UTF-8 JSON, signed over those exact bytes, and sent
unchanged; every event carries the fields line-bot-sdk 3.27 requires (§1.6), otherwise the SDK
would turn it into an UnknownEvent or raise.
"""

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import requests

if TYPE_CHECKING:
    from sandbox.line_state import LineState

log = logging.getLogger(__name__)

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def sign(channel_secret: str, body: bytes) -> str:
    """x-line-signature: Base64(HMAC-SHA256(secret as UTF-8, raw body bytes)) (§1.2)."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def new_webhook_event_id(timestamp_ms: int) -> str:
    """A ULID: 48-bit millisecond time + 80 random bits, 26 Crockford base32 characters."""
    value = (timestamp_ms << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(26)))


@dataclass(frozen=True)
class Delivery:
    """What happened to one webhook POST.

    `status` is None when the bot gave no HTTP answer; `error` then names LINE's failure reason
    (`request_timeout`, `could_not_connect`), or is `error_status_code` for a non-2xx answer (§1.7).
    """

    status: int | None
    latency_ms: float
    event: dict | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when LINE would count the delivery as successful (any 2xx)."""
        return self.status is not None and 200 <= self.status < 300


class WebhookSender:
    """Builds, signs and posts webhook events for the users in a LineState."""

    def __init__(self, state: "LineState", timeout: float):
        self._state = state
        self.timeout = timeout
        self._session = requests.Session()

    def close(self) -> None:
        """Close the keep-alive session."""
        self._session.close()

    def send_text(self, user_id: str, text: str) -> Delivery:
        """The user types `text`: a message event with `quoteToken` (required by SDK 3.27)."""
        self._state.record(user_id, "user", {"type": "text", "text": text})
        message = {"id": self._state.next_message_id(), "type": "text", "text": text,
                   "quoteToken": secrets.token_urlsafe(48)}
        return self._send_new(self._event("message", user_id, message=message))

    def send_postback(self, user_id: str, data: str, params: dict | None = None,
                      display_text: str | None = None) -> Delivery:
        """The user taps a postback action; `display_text` only shows as their bubble (§3.4)."""
        self._state.record(user_id, "user", {"type": "postback", "data": data, "displayText": display_text})
        postback = {"data": data, **({"params": params} if params else {})}
        return self._send_new(self._event("postback", user_id, postback=postback))

    def send_standby_text(self, user_id: str, text: str) -> Delivery:
        """A text while another channel owns the chat: `mode: standby`, no replyToken (§13)."""
        message = {"id": self._state.next_message_id(), "type": "text", "text": text,
                   "quoteToken": secrets.token_urlsafe(48)}
        event = self._event("message", user_id, replyable=False, message=message)
        return self._send_new({**event, "mode": "standby"})

    def send_in_group(self, chat_id: str, user_id: str | None, *, text: str | None = None,
                      data: str | None = None) -> Delivery:
        """A member types `text` (or taps a postback with `data`) in a group or room (§13).

        `user_id` may be None: LINE leaves it out for members who never consented to it.
        """
        kind = self._state.group_kind(chat_id)
        source = {"type": kind, f"{kind}Id": chat_id, **({"userId": user_id} if user_id else {})}
        self._state.record(chat_id, "user", {"type": "text", "text": text} if text is not None
                           else {"type": "postback", "data": data})
        if text is not None:
            payload = {"message": {"id": self._state.next_message_id(), "type": "text",
                                   "text": text, "quoteToken": secrets.token_urlsafe(48)}}
        else:
            payload = {"postback": {"data": data}}
        event = self._event("message" if text is not None else "postback", chat_id, **payload)
        return self._send_new({**event, "source": source})

    def send_follow(self, user_id: str) -> Delivery:
        """The user adds (or unblocks) the account."""
        unblocked = self._state.set_following(user_id, True)
        self._state.record(user_id, "user", {"type": "follow"})
        return self._send_new(self._event("follow", user_id, follow={"isUnblocked": unblocked}))

    def send_unfollow(self, user_id: str) -> Delivery:
        """The user blocks the account; unfollow events carry no replyToken (§1.5)."""
        self._state.set_following(user_id, False)
        self._state.record(user_id, "user", {"type": "unfollow"})
        return self._send_new(self._event("unfollow", user_id, replyable=False))

    def send_verify(self) -> Delivery:
        """The console's Verify button: `events: []` (§1.3)."""
        return self.post_events([])

    def redeliver(self, event_id: str) -> Delivery:
        """Resend a sent event unchanged except `isRedelivery: true` (same id, token, timestamp).

        :raise KeyError: if no event with this id was sent.
        """
        original = self._state.event(event_id)
        if original is None:
            raise KeyError(event_id)
        event = {**original, "deliveryContext": {"isRedelivery": True}}
        if "replyToken" in event:
            self._state.mark_delivered(event["replyToken"])
        return self.post_events([event])

    def post_events(self, events: list[dict]) -> Delivery:
        """Sign and POST one webhook body holding `events`; never raises for network failures."""
        if not self._state.webhook_url:
            return Delivery(None, 0.0, events[0] if events else None, "no_webhook_url")
        body = json.dumps({"destination": self._state.bot_user_id, "events": events},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "x-line-signature": sign(self._state.channel_secret, body),
                   "User-Agent": "LineBotWebhook/2.0"}
        started = time.perf_counter()
        try:
            response = self._session.post(self._state.webhook_url, data=body, headers=headers,
                                          timeout=self.timeout)
            status, error = response.status_code, None
        except requests.Timeout:
            status, error = None, "request_timeout"
        except requests.ConnectionError:
            status, error = None, "could_not_connect"
        latency_ms = (time.perf_counter() - started) * 1000
        if status is not None and not 200 <= status < 300:
            error = "error_status_code"
        self._state.count("webhooks")
        if error:
            self._state.count("webhook_failures")
            self._state.record_error(status or 0, "webhook", error)
        ids = ",".join(e["webhookEventId"] for e in events) or "-"
        log.info("event=webhook_sent webhook_event_ids=%s status=%s elapsed_ms=%.1f", ids, status, latency_ms)
        return Delivery(status, latency_ms, events[0] if events else None, error)

    def _event(self, kind: str, user_id: str, replyable: bool = True, **payload) -> dict:
        """Common event fields (§1.4) plus a registered reply token when the type is replyable."""
        timestamp = int(self._state.clock() * 1000)
        event = {"type": kind, "mode": "active", "timestamp": timestamp,
                 "source": {"type": "user", "userId": user_id},
                 "webhookEventId": new_webhook_event_id(timestamp),
                 "deliveryContext": {"isRedelivery": False}}
        if replyable:
            event["replyToken"] = self._state.issue_reply_token(user_id, timestamp)
        return {**event, **payload}

    def _send_new(self, event: dict) -> Delivery:
        self._state.remember_event(event)
        return self.post_events([event])
