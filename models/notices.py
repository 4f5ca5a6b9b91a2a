"""LINE messages the shop sends unasked: reminders, the expiry notice, announcements.

The one place these are built (texts in models/texts.py), so all of them speak with one voice.
"""
from datetime import datetime, timezone

from models import flex
from models.messages import _buttons, _when, payment_instructions, text
from models.records import CartLine, Coupon, PaymentAttempt, Product
from models.texts import t

ANNOUNCEMENT_TEXT_LIMIT = 5000  # LINE's text message limit (line-platform.md §3)
ANNOUNCEMENT_PRODUCTS = 10      # one carousel, no paging bubble


def atm_reminder(order_id: int, attempt: PaymentAttempt, deadline: datetime,
                 language: str | None) -> list[dict]:
    """The deadline is near: the same account, amount and web ATM button as when it was made."""
    return [text("atm_reminder", language, order_id=order_id, deadline=_when(deadline)),
            *payment_instructions(order_id, attempt, deadline, 0, language)]


def order_expired(order_id: int, language: str | None) -> list[dict]:
    """The order lapsed and its stock went back; one tap puts its items back in the cart."""
    body = t("order_expired_notice", language, order_id=order_id)
    label = t("button_order_again", language)
    return [_buttons(body, body, [flex.postback(
        label, f"action=reorder&order={order_id}",
        t("say_order_again", language, order_id=order_id))])]


def cart_reminder(lines: list[CartLine], coupon: Coupon | None, language: str | None,
                  now: datetime | None = None) -> list[dict]:
    """The cart card as it stands, and a button that turns these reminders off."""
    hint = t("cart_reminders_hint", language)
    off = t("button_cart_reminders_off", language)
    return [text("cart_reminder", language),
            flex.cart_card(lines, coupon, now or datetime.now(timezone.utc), language),
            _buttons(hint, hint, [flex.postback(off, "action=cart_reminders&on=0", off)])]


def cart_reminders_set(on: bool, language: str | None) -> list[dict]:
    return [text("cart_reminders_on" if on else "cart_reminders_off", language)]


def reordered(order_id: int, added: int, language: str | None) -> list[dict]:
    """Said before the cart card when an expired order's items went back in the cart."""
    return [text("reordered" if added else "reorder_nothing", language, order_id=order_id)]


def announcement(body: str, products: list[Product],
                 links: flex.Links = flex.NO_LINKS) -> list[dict]:
    """The owner's words, then their product cards (multicast speaks one language: zh-TW)."""
    messages = [{"type": "text", "text": body[:ANNOUNCEMENT_TEXT_LIMIT]}]
    if products:
        messages.append(flex.product_carousel(products[:ANNOUNCEMENT_PRODUCTS], 1, None, links))
    return messages
