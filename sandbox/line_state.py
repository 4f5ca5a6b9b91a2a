"""Everything the LINE emulator knows, in one thread-safe object handed to its factory.

Tests and benchmarks inspect it directly: users, per-user conversations, reply tokens, retry keys,
rich menus and counters. Rules cited as §x refer to ../shared/refs/line-platform.md.
"""
import secrets
import threading
import time
from collections import deque
from dataclasses import asdict
from typing import Callable

from sandbox import line_limits as L
from sandbox.line_login import LineLogin
from sandbox.line_quota import MessageQuota
from sandbox.line_records import ReplyToken, RichMenu, User, Counters, new_user_id
from sandbox.line_webhook_sender import WebhookSender

DEFAULT_SHOPPERS = (("小明", "zh-TW"), ("小華", "zh-TW"), ("Alice", "en"))
_KEPT_ERRORS = 50


class LineState:
    """Users, conversations, tokens, retry keys, rich menus and counters behind one lock."""

    def __init__(self, channel_secret: str, access_token: str, webhook_url: str | None = None,
                 bot_user_id: str | None = None, *, bot_name: str = "LINE 商店",
                 reply_token_ttl: float = L.REPLY_TOKEN_TTL_SECONDS,
                 webhook_timeout: float = L.WEBHOOK_TIMEOUT_SECONDS,
                 clock: Callable[[], float] = time.time, seed_shoppers: bool = True):
        self.channel_secret = channel_secret
        self.access_token = access_token
        self.webhook_url = webhook_url
        self.bot_user_id = bot_user_id or new_user_id()
        self.bot_name = bot_name
        self.reply_token_ttl = reply_token_ttl
        self.clock = clock
        self._changed = threading.Condition()
        self._users: dict[str, User] = {}
        self._groups: dict[str, str] = {}  # group or room id → "group" / "room"
        self._conversations: dict[str, list[dict]] = {}
        self._reply_tokens: dict[str, ReplyToken] = {}
        self._retry_keys: dict[str, tuple[float, str, list]] = {}
        self._events: dict[str, dict] = {}
        self._rich_menus: dict[str, RichMenu] = {}
        self._default_rich_menu_id: str | None = None
        self._counters = Counters()
        self.quota = MessageQuota()
        # Every accepted loading animation, {"chatId", "loadingSeconds", "time"} (ms), oldest first.
        self.loading_started: list[dict] = []
        # Fault knobs for tests: the next `fail_next` reply/push calls answer 500, either
        # before delivering ("before") or after delivering, as if the answer were lost ("after");
        # "hang" answers only after hang_seconds.
        self.fail_next = 0
        self.fail_mode = "before"
        self.hang_seconds = 5.0
        self._errors: deque = deque(maxlen=_KEPT_ERRORS)
        self._message_seq = 500000000000000000
        self.webhook = WebhookSender(self, timeout=webhook_timeout)
        self.login = LineLogin(clock=clock)
        # The sandbox serves pictures over http on loopback; LINE itself wants https (§3).
        self.http_on_loopback = False
        if seed_shoppers:
            for name, language in DEFAULT_SHOPPERS:
                self.add_user(name, language)

    def close(self) -> None:
        """Release the webhook HTTP session."""
        self.webhook.close()

    # users
    def add_user(self, display_name: str, language: str = "zh-TW", *, following: bool = True,
                 user_id: str | None = None) -> User:
        """Create a shopper; new shoppers are friends unless `following=False`."""
        user = User(user_id or new_user_id(), display_name, language, following)
        with self._changed:
            self._users[user.user_id] = user
            self._conversations[user.user_id] = []
        return user

    def user(self, user_id: str) -> User | None:
        """The user with this ID, or None."""
        with self._changed:
            return self._users.get(user_id)

    def user_by_name(self, display_name: str) -> User:
        """The first user with this display name. :raise KeyError: if none."""
        with self._changed:
            return next(u for u in self._users.values() if u.display_name == display_name)

    def users(self) -> list[User]:
        """All users in creation order."""
        with self._changed:
            return list(self._users.values())

    def set_following(self, user_id: str, following: bool) -> bool:
        """Record follow/unfollow; returns True if a follow ends a block (`follow.isUnblocked`)."""
        with self._changed:
            user = self._users[user_id]
            was_blocked = user.blocked
            user.following, user.blocked = following, not following
            return was_blocked and following

    # groups and rooms (§13)
    def add_group(self, kind: str = "group") -> str:
        """A group ('C…') or room ('R…') the bot is in; its conversation is what it says there."""
        chat_id = ("C" if kind == "group" else "R") + secrets.token_hex(16)
        with self._changed:
            self._groups[chat_id] = kind
            self._conversations[chat_id] = []
        return chat_id

    def group_kind(self, chat_id: str) -> str | None:
        """'group' or 'room' for a chat the bot is in, else None."""
        with self._changed:
            return self._groups.get(chat_id)

    # conversations
    def record(self, user_id: str, direction: str, message: dict, via: str | None = None) -> dict:
        """Append a message ('user' or 'bot' direction) to a user's conversation and wake pollers."""
        with self._changed:
            conversation = self._conversations[user_id]
            entry = {"seq": len(conversation) + 1, "direction": direction, "message": message,
                     "time": int(self.clock() * 1000), "via": via}
            conversation.append(entry)
            self._changed.notify_all()
            return entry

    def conversation(self, user_id: str, after: int = 0, wait: float = 0.0) -> list[dict]:
        """Entries with seq > `after`, waiting up to `wait` seconds for one to arrive."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._conversations.get(user_id, ())) > after, timeout=wait)
            return list(self._conversations.get(user_id, ())[after:])

    def next_message_id(self) -> str:
        """A LINE-like numeric message ID, as a string (§1.5)."""
        with self._changed:
            self._message_seq += secrets.randbelow(1000) + 1
            return str(self._message_seq)

    # reply tokens (§2.3, §1.7)
    def issue_reply_token(self, user_id: str, event_timestamp_ms: int) -> str:
        """Register a fresh 32-hex reply token for an event of this user."""
        token = secrets.token_hex(16)
        with self._changed:
            self._reply_tokens[token] = ReplyToken(user_id, event_timestamp_ms, self.clock())
        return token

    def mark_delivered(self, token: str) -> None:
        """Restart a token's lifetime: a redelivered token is usable one minute after redelivery."""
        with self._changed:
            if token in self._reply_tokens:
                self._reply_tokens[token].delivered_at = self.clock()

    def use_reply_token(self, token: str) -> str | None:
        """Spend a token; returns its user ID, or None if unknown, used or expired."""
        with self._changed:
            entry = self._reply_tokens.get(token)
            if entry is None or entry.used:
                return None
            now = self.clock()
            too_old = now - entry.event_timestamp_ms / 1000 > L.REDELIVERED_TOKEN_MAX_AGE_SECONDS
            if now - entry.delivered_at > self.reply_token_ttl or too_old:
                return None
            entry.used = True
            return entry.user_id

    def reply_token(self, token: str) -> ReplyToken | None:
        """The token's record, for tests."""
        with self._changed:
            return self._reply_tokens.get(token)

    # retry keys (§2.5)
    def accept_retry_key(self, key: str, request_id: str, sent: list) -> tuple[str, list] | None:
        """Accept a new key, or return (accepted request id, sentMessages) of an earlier use in 24 h."""
        now = self.clock()
        with self._changed:
            earlier = self._retry_keys.get(key)
            if earlier and now - earlier[0] < L.RETRY_KEY_TTL_SECONDS:
                return earlier[1], earlier[2]
            self._retry_keys[key] = (now, request_id, sent)
            return None

    # webhook events kept for redelivery
    def remember_event(self, event: dict) -> None:
        """Keep a sent event so it can be redelivered unchanged."""
        with self._changed:
            self._events[event["webhookEventId"]] = event

    def event(self, event_id: str) -> dict | None:
        """A previously sent event, or None."""
        with self._changed:
            return self._events.get(event_id)

    # rich menus (§6)
    def add_rich_menu(self, menu: dict) -> str:
        """Store a validated rich menu object; returns its ID."""
        rich_menu_id = "richmenu-" + secrets.token_hex(16)
        with self._changed:
            self._rich_menus[rich_menu_id] = RichMenu(rich_menu_id, menu)
        return rich_menu_id

    def rich_menu(self, rich_menu_id: str) -> RichMenu | None:
        """The rich menu with this ID, or None."""
        with self._changed:
            return self._rich_menus.get(rich_menu_id)

    def rich_menus(self) -> list[RichMenu]:
        """All rich menus in creation order."""
        with self._changed:
            return list(self._rich_menus.values())

    def delete_rich_menu(self, rich_menu_id: str) -> bool:
        """Drop a rich menu (and the default link to it); False if unknown."""
        with self._changed:
            if self._default_rich_menu_id == rich_menu_id:
                self._default_rich_menu_id = None
            return self._rich_menus.pop(rich_menu_id, None) is not None

    def set_rich_menu_image(self, rich_menu_id: str, image: bytes, image_type: str) -> bool:
        """Attach an image once; False if the menu already has one (images cannot be replaced)."""
        with self._changed:
            menu = self._rich_menus[rich_menu_id]
            if menu.image is not None:
                return False
            menu.image, menu.image_type = image, image_type
            return True

    @property
    def default_rich_menu_id(self) -> str | None:
        """The menu shown to every user, if any."""
        with self._changed:
            return self._default_rich_menu_id

    def set_default_rich_menu(self, rich_menu_id: str | None) -> None:
        """Make a menu (or none) the default."""
        with self._changed:
            self._default_rich_menu_id = rich_menu_id

    # counters
    def take_fault(self) -> str | None:
        """The fault mode to apply to this call, if a test asked for one."""
        with self._changed:
            if self.fail_next <= 0:
                return None
            self.fail_next -= 1
            return self.fail_mode

    def count(self, name: str, amount: int = 1) -> None:
        """Increase one counter (replies, pushes, multicasts, undelivered, webhooks, webhook_failures)."""
        with self._changed:
            setattr(self._counters, name, getattr(self._counters, name) + amount)

    def record_error(self, status: int, path: str, message: str) -> None:
        """Count an error answered to the bot (or a failed webhook) and keep the latest few."""
        with self._changed:
            self._counters.errors += 1
            self._errors.append({"time": int(self.clock() * 1000), "status": status,
                                 "path": path, "message": message})

    def stats(self) -> dict:
        """Counters plus the latest errors, for benchmarks."""
        with self._changed:
            return {**asdict(self._counters), "last_errors": list(self._errors)}

    def reset(self) -> None:
        """Forget conversations, tokens, retry keys, events, counters, quota use; keep users, menus."""
        with self._changed:
            for conversation in self._conversations.values():
                conversation.clear()
            self._reply_tokens.clear()
            self._retry_keys.clear()
            self._events.clear()
            self._counters = Counters()
            self.quota = MessageQuota(self.quota.limit)
            self._errors.clear()
            self.loading_started.clear()
            self._changed.notify_all()
