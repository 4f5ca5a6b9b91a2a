"""Shoppers following the shop, and their delivery details."""
from datetime import datetime, timezone

from db import shoppers
from models.events import Followed, GroupInvited, Ignored, RecipientSaved, Unfollowed
from models.recipient import parse_recipient
from models.records import Recipient
from services.coupons import CouponOffer, grant_follower_coupon


def follow(db, user_id: str, display_name: str | None, language: str | None, shop_name: str,
           coupon: CouponOffer | None = None, now: datetime | None = None) -> Followed:
    """Record the follow, grant the follower coupon once ever, and welcome the shopper."""
    now = now or datetime.now(timezone.utc)

    def work(uow):
        first_time = shoppers.upsert_follower(uow.cur, user_id, following=True)
        shoppers.set_profile(uow.cur, user_id, display_name, language)
        granted = grant_follower_coupon(uow.cur, user_id, coupon, now) if coupon else None
        followed = Followed(user_id, shop_name, granted,
                            returning=not first_time and granted is None)
        uow.record(followed)
        return followed
    return db.run(work)


def unfollow(db, user_id: str) -> None:
    """The shopper blocked the shop: no more pushes are worth trying."""
    def work(uow):
        shoppers.upsert_follower(uow.cur, user_id, following=False)
        uow.record(Unfollowed(user_id))
    db.run(work)


def invite_group(db, group_id: str, *, can_reply: bool) -> bool:
    """Invite a group or room to chat one to one, once ever; True when the invitation is sent.

    Only events LINE lets us reply to are answered (`can_reply`), so a bot that left is never
    pushed to. The invitation carries nothing personal: whatever its members typed, the shop
    runs only in one-to-one chats.
    """
    def work(uow):
        invite = can_reply and shoppers.remember_group_invited(uow.cur, group_id)
        uow.record(GroupInvited(group_id) if invite else Ignored(group_id))
        return invite
    return db.run(work)


def save_recipient(db, user_id: str, name: str, phone: str, address: str) -> RecipientSaved:
    """Store the shopper's delivery details (used by every later order).

    :raise InvalidRecipient: nothing is saved.
    """
    recipient = parse_recipient(name, phone, address)

    def work(uow):
        shoppers.set_recipient(uow.cur, user_id, recipient)
        saved = RecipientSaved(user_id, recipient)
        uow.record(saved)
        return saved
    return db.run(work)


def saved_recipient(db, user_id: str) -> Recipient | None:
    """The delivery details the shopper saved, if any."""
    with db.transaction() as cur:
        return shoppers.get_recipient(cur, user_id)
