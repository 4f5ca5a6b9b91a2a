"""LINE message JSON for every answer the bot gives (texts come from models/texts.py)."""
from datetime import datetime

from models import events as ev
from models import flex
from models.errors import ShopError
from models.order import TAIPEI, Totals
from models.records import (CartLine, Coupon, Order, PaymentAttempt, PayMethod, Product, Recipient,
                            Refund)
from models.texts import t

TEXT_LIMIT = 5000


def text(key: str, language: str | None, **params) -> dict:
    return {"type": "text", "text": t(key, language, **params)[:TEXT_LIMIT]}


def status_text(status: str, language: str | None) -> str:
    return t(f"status_{status}", language)


def _when(moment: datetime) -> str:
    return moment.astimezone(TAIPEI).strftime("%m/%d %H:%M")


def _buttons(alt: str, body: str, actions: list[dict], title: str | None = None) -> dict:
    template = {"type": "buttons", "text": body[:160 if title is None else 60], "actions": actions}
    if title:
        template["title"] = title[:40]
    return {"type": "template", "altText": alt[:1500], "template": template}


def product_list(products: list[Product], page: int, language: str | None,
                 links: flex.Links = flex.NO_LINKS) -> list[dict]:
    """The catalog as Flex product cards, ≤ 10 per page."""
    if not products:
        return [text("no_products", language)]
    return [flex.product_carousel(products, page, language, links)]


def product_detail(product: Product, in_cart: int, language: str | None,
                   links: flex.Links = flex.NO_LINKS) -> list[dict]:
    return [flex.product_detail(product, in_cart, language, links)]


def cart(lines: list[CartLine], totals: Totals, coupon: Coupon | None,
         language: str | None) -> list[dict]:
    """The cart card (− / + / remove per line, coupon, total, order button), checkout first."""
    if not lines:
        return with_quick_replies([text("cart_empty", language)], language)
    card = flex.cart_card(lines, totals, coupon, language)
    return with_quick_replies([card], language, CART_STEPS)


def cart_changed(changed: ev.CartChanged, language: str | None) -> list[dict]:
    key = "cart_updated" if changed.quantity else "cart_removed"
    return [text(key, language, name=changed.product.name, quantity=changed.quantity)] + cart(
        changed.lines, changed.totals, changed.coupon, language)


def unavailable_at_checkout(lines: list[CartLine], language: str | None) -> list[dict]:
    """Checkout stopped at lines taken off sale: name them and offer to drop them."""
    body = t("unavailable_at_checkout", language, names="、".join(line.name for line in lines))
    return [_buttons(body, body, [
        flex.postback(t("button_drop_unavailable", language), "action=drop_unavailable",
                      t("button_drop_unavailable", language)),
        flex.postback(t("button_cart", language), "action=cart", t("say_cart", language))])]


def unavailable_dropped(dropped: ev.UnavailableDropped, language: str | None) -> list[dict]:
    removed = [text("cart_removed", language, name="、".join(dropped.names))] \
        if dropped.names else []
    return removed + cart(dropped.lines, dropped.totals, dropped.coupon, language)


def order_created(placed: ev.OrderPlaced, language: str | None,
                  methods: tuple[PayMethod, ...]) -> list[dict]:
    """The order card with its discount, recipient and the offered payment buttons."""
    actions = pay_actions(placed.order_id, placed.totals.total, language, methods)
    return [flex.order_card(placed.order_id, placed.lines, placed.totals, placed.recipient,
                            placed.expires_at, actions, language)]


def pay_actions(order_id: int, total: int, language: str | None,
                methods: tuple[PayMethod, ...]) -> list[dict]:
    """A button per offered way of paying that takes `total`, then cancel."""
    actions = []
    for method in methods:
        if total > method.max_total:
            continue
        label = t(method.label_key, language)
        actions.append(flex.postback(label, f"action=pay&order={order_id}&method={method.name}",
                                     label))
    cancel = t("button_cancel", language)
    return actions + [flex.postback(cancel, f"action=cancel&order={order_id}", cancel)]


def payment_instructions(order_id: int, attempt: PaymentAttempt, hold_until: datetime,
                         card_minutes: int, language: str | None) -> list[dict]:
    if attempt.pay_type == "L":
        body = t("linepay_instructions", language, order_id=order_id, amount=attempt.amount)
        return [_buttons(body, body, [{"type": "uri", "label": t("button_open_linepay", language),
                                       "uri": attempt.pay_url}])]
    if attempt.pay_type == "A":
        body = t("atm_instructions", language, deadline=_when(hold_until),
                 bank_code=attempt.atm_bank_code, account=attempt.atm_pay_no,
                 amount=attempt.amount, order_id=order_id)
        if not attempt.atm_web_url:
            return [{"type": "text", "text": body}]
        # The account number stays in a text message so it can be copied.
        return [{"type": "text", "text": body},
                _buttons(t("button_web_atm_hint", language), t("button_web_atm_hint", language),
                         [{"type": "uri", "label": t("button_web_atm", language),
                           "uri": attempt.atm_web_url}])]
    body = t("card_instructions", language, order_id=order_id, amount=attempt.amount,
             minutes=min(card_minutes, 30))
    return [_buttons(body, body, [{"type": "uri", "label": t("button_open_card_page", language),
                                   "uri": attempt.card_url}])]


PAYMENT_TEXTS = {ev.PaymentReceived: "payment_received", ev.PaidTwice: "payment_duplicate",
                 ev.PaidAfterClose: "payment_after_close"}


def payment_notice(notice: ev.PaymentNotice, language: str | None,
                   methods: tuple[PayMethod, ...]) -> list[dict]:
    if isinstance(notice, ev.PaymentFailed):
        body = t("payment_failed", language, order_id=notice.order_id,
                 reason=notice.reason or t("status_pending", language))
        return [_buttons(body, body, pay_actions(notice.order_id, notice.amount, language,
                                                 methods))]
    return [text(PAYMENT_TEXTS[type(notice)], language, order_id=notice.order_id,
                 amount=notice.amount)]


def refusal_text(error: ShopError, language: str | None) -> str:
    """What the shopper is told when a ShopError stopped their request (chat, shop page)."""
    params = dict(error.params)
    if "status" in params:
        params["status"] = status_text(params["status"], language)
    return t(error.text_key, language, **params)


def refusal(error: ShopError, language: str | None) -> list[dict]:
    return [{"type": "text", "text": refusal_text(error, language)[:TEXT_LIMIT]}]


def refund_notice(refunded: ev.OrderRefunded, language: str | None) -> list[dict]:
    """The shopper's news of a refund: how much, how it comes back, and why."""
    refund: Refund = refunded.refund
    key = {"card": "refund_card", "linepay": "refund_linepay"}.get(refund.method,
                                                                   "refund_transfer")
    body = t(key, language, order_id=refunded.order_id, amount=refund.amount)
    if refund.reason:
        body += "\n" + t("refund_reason", language, reason=refund.reason)
    return [{"type": "text", "text": body[:TEXT_LIMIT]}]


def order_list(orders: list[Order], language: str | None) -> list[dict]:
    if not orders:
        return [text("orders_none", language)]
    rows = [t("orders_title", language)]
    for order in orders:
        rows.append(t("order_line", language, order_id=order.id, date=_when(order.created_at),
                      total=order.total, status=status_text(order.status, language)))
        rows += [f"  {line.name} × {line.quantity}" for line in order.lines]
    return [{"type": "text", "text": "\n".join(rows)[:TEXT_LIMIT]}]


def welcome(shop_name: str, language: str | None, coupon: Coupon | None = None,
            returning: bool = False) -> list[dict]:
    """The greeting, and the follower coupon when one was just granted."""
    greeting = [text("welcome_back" if returning else "welcome", language, shop=shop_name)]
    if coupon is None:
        return greeting
    expires = coupon.expires_at.astimezone(TAIPEI).strftime("%Y/%m/%d")
    key = "coupon_granted" if coupon.min_spend else "coupon_granted_any"
    return greeting + [text(key, language, offer=flex.coupon_offer(coupon, language),
                            min_spend=coupon.min_spend, expires=expires)]


# Quick reply buttons: (label key, what the shopper "says" when tapping it).
STEPS = {"products": ("button_products", "say_products"), "cart": ("button_cart", "say_cart"),
         "checkout": ("button_checkout_quick", "say_checkout"),
         "orders": ("button_orders", "say_orders"), "help": ("button_help", "say_help")}
DEFAULT_STEPS = ("products", "cart", "checkout", "orders", "help")
CART_STEPS = ("checkout", "products", "orders", "help")


def with_quick_replies(messages: list[dict], language: str | None,
                       steps: tuple[str, ...] = DEFAULT_STEPS) -> list[dict]:
    """Put the next likely steps under the last message (LINE shows only the last one's)."""
    if not messages or "quickReply" in messages[-1]:
        return messages
    items = [{"type": "action", "action": {"type": "message",
                                           "label": t(STEPS[step][0], language)[:20],
                                           "text": t(STEPS[step][1], language)}}
             for step in steps[:13]]
    return messages[:-1] + [{**messages[-1], "quickReply": {"items": items}}]


def for_event(event: ev.Event, language: str | None, links: flex.Links = flex.NO_LINKS,
              methods: tuple[PayMethod, ...] = ()) -> list[dict]:
    """The messages that tell the shopper about one domain event (none for some).

    `links` says where cards may send the shopper (the shop page, when LIFF is set up);
    `methods` are the ways to pay the shop offers (the payment buttons).
    """
    match event:
        case ev.ProductsShown():
            return product_list(event.products, event.page, language, links)
        case ev.ProductShown():
            return product_detail(event.product, event.in_cart, language, links)
        case ev.CartChanged():
            return cart_changed(event, language)
        case ev.UnavailableDropped():
            return unavailable_dropped(event, language)
        case ev.CartShown():
            return cart(event.lines, event.totals, event.coupon, language)
        case ev.OrderPlaced():
            return order_created(event, language, methods)
        case ev.CheckoutStopped():
            return unavailable_at_checkout(event.unavailable, language)
        case ev.PaymentStarted():
            return payment_instructions(event.order_id, event.attempt, event.hold_until,
                                        event.card_minutes, language)
        case ev.PaymentNotice():
            return payment_notice(event, language, methods)
        case ev.OrdersShown():
            return order_list(event.orders, language)
        case ev.OrderCancelled():
            return [text("order_cancelled", language, order_id=event.order_id)]
        case ev.OrderExpired():
            return [text("order_expired_notice", language, order_id=event.order_id)]
        case ev.OrderRefunded():
            return refund_notice(event, language)
        case ev.OrderShipped():
            return [text("order_shipped", language, order_id=event.order_id,
                         note=event.tracking_note)]
        case ev.Followed():
            return welcome(event.shop_name, language, event.coupon, event.returning)
        case ev.RecipientSaved():
            recipient: Recipient = event.recipient
            return [text("recipient_saved", language, name=recipient.name,
                         phone=recipient.phone, address=recipient.address)]
        case ev.HelpShown():
            return [text("help", language)]
        case ev.GroupInvited():
            return [text("group_invitation", language)]
        case ev.Refused():
            return refusal(event.error, language)
        case ev.EventFailed():
            return [text("error_generic", language)]
    return []  # Unfollowed, Ignored
