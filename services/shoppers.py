"""Shoppers following the shop, and their delivery details."""
import re
from datetime import datetime, timezone

from db import shoppers
from models import messages
from models.errors import InvalidRecipient
from models.records import Recipient
from services.answers import Answer
from services.coupons import CouponOffer, grant_follower_coupon

TAIWAN_MOBILE = re.compile(r"^09\d{8}$")
PHONE_NOISE = re.compile(r"[\s\-().]")
MIN_ADDRESS = 5


def follow(db, answer: Answer, display_name: str | None, shop_name: str,
           coupon: CouponOffer | None = None, now: datetime | None = None) -> bool:
    """Record the follow, grant the follower coupon once ever, and welcome the shopper.

    Returns True for a shopper we never saw before.
    """
    now = now or datetime.now(timezone.utc)
    with db.transaction() as cur:
        first_time = shoppers.upsert_follower(cur, answer.user_id, following=True)
        shoppers.set_profile(cur, answer.user_id, display_name, answer.language)
        granted = grant_follower_coupon(cur, answer.user_id, coupon, now) if coupon else None
        answer.send(cur, messages.welcome(shop_name, answer.language, granted,
                                          returning=not first_time and granted is None))
        return first_time


def unfollow(db, answer: Answer) -> None:
    with db.transaction() as cur:
        shoppers.upsert_follower(cur, answer.user_id, following=False)
        answer.send(cur, [])


def invite_group(db, answer: Answer) -> bool:
    """Invite a group or room (`answer.user_id` is its id) to chat one to one, once ever.

    Only events LINE lets us reply to are answered, so a bot that left is never pushed to.
    The invitation carries nothing personal: whatever its members typed, the shop runs only in
    one-to-one chats. Returns True when the invitation was queued.
    """
    with db.transaction() as cur:
        invite = bool(answer.reply_token) and shoppers.remember_group_invited(cur, answer.user_id)
        answer.send(cur, [messages.text("group_invitation", answer.language)] if invite else [])
        return invite


def normalize_phone(phone: str) -> str:
    """0912-345-678, (0912)345678 or +886 912 345 678 → 0912345678."""
    phone = PHONE_NOISE.sub("", phone)
    if phone.startswith("+886"):
        phone = "0" + phone[4:].lstrip("0")
    elif phone.startswith("886") and len(phone) == 12:
        phone = "0" + phone[3:]
    return phone


def parse_recipient(name: str, phone: str, address: str) -> Recipient:
    """Validate delivery details: a name, a Taiwan mobile (09xxxxxxxx) and a real address.

    :raise InvalidRecipient: naming the first problem.
    """
    if not (name.strip() or phone.strip() or address.strip()):
        raise InvalidRecipient("usage")
    if not name.strip():
        raise InvalidRecipient("name")
    normalized = normalize_phone(phone)
    if not TAIWAN_MOBILE.match(normalized):
        raise InvalidRecipient("phone", phone=phone.strip()[:20])
    if len(address.strip()) < MIN_ADDRESS:
        raise InvalidRecipient("address")
    return Recipient(name.strip()[:50], normalized, " ".join(address.split())[:200])


def save_recipient(db, answer: Answer, name: str, phone: str, address: str) -> Recipient:
    """Store the shopper's delivery details (used by every later order).

    :raise InvalidRecipient: nothing is saved.
    """
    recipient = parse_recipient(name, phone, address)
    with db.transaction() as cur:
        shoppers.set_recipient(cur, answer.user_id, recipient)
        answer.send(cur, [messages.text("recipient_saved", answer.language, name=recipient.name,
                                        phone=recipient.phone, address=recipient.address)])
    return recipient


def saved_recipient(db, user_id: str) -> Recipient | None:
    """The delivery details the shopper saved, if any."""
    with db.transaction() as cur:
        return shoppers.get_recipient(cur, user_id)
