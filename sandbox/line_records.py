"""What the LINE emulator keeps about users, reply tokens and rich menus (see line_state.py)."""
import secrets
from dataclasses import dataclass


def new_user_id() -> str:
    """A LINE-shaped user ID: 'U' + 32 lowercase hex digits."""
    return "U" + secrets.token_hex(16)


@dataclass
class User:
    """A shopper; `blocked` is set by unfollow and cleared by follow (§2.4 push to blocked users)."""
    user_id: str
    display_name: str
    language: str = "zh-TW"
    following: bool = True
    blocked: bool = False

    def to_json(self) -> dict:
        """The shape the chat page and profile API use."""
        return {"userId": self.user_id, "displayName": self.display_name,
                "language": self.language, "following": self.following, "blocked": self.blocked}


@dataclass
class ReplyToken:
    """A reply token issued with a webhook event (§2.3)."""
    user_id: str
    event_timestamp_ms: int
    delivered_at: float
    used: bool = False


@dataclass
class RichMenu:
    """A rich menu object plus its uploaded image (§6)."""
    rich_menu_id: str
    menu: dict
    image: bytes | None = None
    image_type: str | None = None


@dataclass
class Counters:
    replies: int = 0
    pushes: int = 0
    multicasts: int = 0
    undelivered: int = 0
    errors: int = 0
    webhooks: int = 0
    webhook_failures: int = 0
