"""Delivery details: what a name, a Taiwan mobile number and an address must look like."""
import re

from models.errors import InvalidRecipient
from models.records import Recipient

TAIWAN_MOBILE = re.compile(r"^09\d{8}$")
PHONE_NOISE = re.compile(r"[\s\-().]")
MIN_ADDRESS = 5


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
