"""Shoppers following the shop, and their delivery details."""
import re

from db import shoppers
from models import messages
from models.errors import InvalidRecipient
from models.records import Recipient
from services.answers import Answer

TAIWAN_MOBILE = re.compile(r"^09\d{8}$")


def follow(db, answer: Answer, display_name: str | None, shop_name: str) -> bool:
    """Record the follow and welcome the shopper; True for a shopper we never saw before."""
    with db.transaction() as cur:
        first_time = shoppers.upsert_follower(cur, answer.user_id, following=True)
        shoppers.set_profile(cur, answer.user_id, display_name, answer.language)
        answer.send(cur, messages.welcome(shop_name, answer.language))
        return first_time


def unfollow(db, answer: Answer) -> None:
    with db.transaction() as cur:
        shoppers.upsert_follower(cur, answer.user_id, following=False)
        answer.send(cur, [])


def parse_recipient(name: str, phone: str, address: str) -> Recipient:
    """Validate delivery details.

    :raise InvalidRecipient: naming the first problem.
    """
    phone = phone.replace("-", "").replace(" ", "")
    if phone.startswith("+886"):
        phone = "0" + phone[4:]
    if not name.strip():
        raise InvalidRecipient(problem="missing name")
    if not TAIWAN_MOBILE.match(phone):
        raise InvalidRecipient(problem="mobile")
    if len(address.strip()) < 5:
        raise InvalidRecipient(problem="address")
    return Recipient(name.strip()[:50], phone, address.strip()[:200])


def save_recipient(db, answer: Answer, name: str, phone: str, address: str) -> Recipient:
    recipient = parse_recipient(name, phone, address)
    with db.transaction() as cur:
        shoppers.set_recipient(cur, answer.user_id, recipient)
        answer.send(cur, [messages.text("recipient_saved", answer.language, name=recipient.name,
                                        phone=recipient.phone, address=recipient.address)])
    return recipient
