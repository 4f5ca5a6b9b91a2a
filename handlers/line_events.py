"""One handler per LINE event type: parse, call one use case; the notifier answers."""
import logging
from datetime import datetime, timedelta, timezone

from linebot.v3.webhooks import (Event, FollowEvent, MessageEvent, PostbackEvent,
                                 TextMessageContent, UnfollowEvent)
from linebot.v3.models import UnknownEvent

from handlers import chat_commands as cmd
from handlers import postbacks
from handlers.notifier import ReplyContext
from models import errors
from models.errors import ShopError
from services import cart, catalog, chat, checkout, orders, payments, shoppers
from services.coupons import offer_from

log = logging.getLogger(__name__)

# LINE honours a reply token for about a minute after delivery; leave a margin, then push.
REPLY_TOKEN_LIFE = timedelta(seconds=50)


def parse_event(raw: dict):
    """The SDK's model of a stored event, UnknownEvent as WebhookParser would give, or None."""
    try:
        return Event.from_dict(raw)
    except ValueError:
        try:
            return UnknownEvent.new_from_json_dict(raw)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None


def handle(rt, raw: dict, language: str | None, lease_token: str | None = None) -> ReplyContext:
    """Work one inbox event; a ShopError becomes a helpful answer, anything else propagates.

    `lease_token` fences the work: it commits only while this worker holds the event.
    Returns the reply context (it knows whether the shopper has another event waiting).
    The shop works in one-to-one chats only: a group or room is invited (once) to chat one to
    one, and an event in standby mode (another channel owns the chat) changes nothing and says
    nothing, nor does one without a user to answer.
    :raise LeaseLost: the event changed hands; everything done for it here was rolled back.
    """
    event = parse_event(raw)
    context = reply_context(raw, language, lease_token)
    db = rt.db.with_context(context)
    if raw.get("mode", "active") != "active" or not context.user_id:
        chat.ignore(db, context.user_id)
    elif _source(raw).get("type") in ("group", "room"):
        # context.user_id is the group's (or room's) id
        shoppers.invite_group(db, context.user_id, can_reply=bool(context.reply_token))
    else:
        _handle_shopper(rt, db, context, raw, event)
    return context


def _handle_shopper(rt, db, context: ReplyContext, raw: dict, event) -> None:
    try:
        if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            handle_text_message(rt, db, context, event.message.text)
        elif isinstance(event, PostbackEvent):
            handle_postback(rt, db, context, event.postback.data)
        elif isinstance(event, FollowEvent):
            handle_follow(rt, context)
        elif isinstance(event, UnfollowEvent):
            shoppers.unfollow(db, context.user_id)
        else:
            handle_other(db, context, raw)
    except ShopError as error:
        chat.refuse(db, context.user_id, error)


def _source(raw: dict) -> dict:
    return raw.get("source") if isinstance(raw.get("source"), dict) else {}


def _chat_id(source: dict) -> str | None:
    """Whom an answer goes to: the shopper in a one-to-one chat, else the whole group or room."""
    key = {"user": "userId", "group": "groupId", "room": "roomId"}.get(source.get("type"))
    chat_id = source.get(key) if key else None
    return chat_id if isinstance(chat_id, str) and chat_id else None


def reply_context(raw: dict, language: str | None, lease_token: str | None = None) -> ReplyContext:
    """Who to answer and how; tolerant of any shape, since a stored event may be odd.

    `user_id` is None when there is nobody to answer (then nothing may be sent or stored).
    """
    token = raw.get("replyToken") if raw.get("mode", "active") == "active" else None
    timestamp = raw.get("timestamp")
    try:
        delivered = datetime.fromtimestamp(timestamp / 1000, timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        delivered = datetime.now(timezone.utc)
    return ReplyContext(
        user_id=_chat_id(_source(raw)),
        language=language,
        event_id=raw.get("webhookEventId"),
        reply_token=token if isinstance(token, str) else None,
        reply_until=delivered + REPLY_TOKEN_LIFE,
        lease_token=lease_token,
    )


def handle_text_message(rt, db, context: ReplyContext, text: str) -> None:
    _run(rt, db, context, cmd.parse(text))


def handle_postback(rt, db, context: ReplyContext, data: str) -> None:
    _run(rt, db, context, postbacks.parse(data))


def _run(rt, db, context: ReplyContext, command) -> None:
    """Call the one use case a command asks for.

    :raise ShopError: the use case refused, or the command was not understood.
    """
    user_id = context.user_id
    match command:
        case cmd.ShowProducts(page=page):
            catalog.show_products(db, user_id, page)
        case postbacks.ShowProduct(product_id=product_id):
            catalog.show_product(db, user_id, product_id)
        case cmd.ShowCart():
            cart.show(db, user_id)
        case cmd.ChangeCart(product_id=product_id, amount=amount, relative=relative):
            cart.change_quantity(db, user_id, product_id, amount, relative=relative)
        case postbacks.DropUnavailable():
            cart.drop_unavailable(db, user_id)
        case cmd.Checkout():
            checkout.checkout(db, user_id, hold_minutes=rt.settings.order_hold_minutes)
        case cmd.ShowOrders():
            orders.show_recent(db, user_id)
        case postbacks.Pay(order_id=order_id, method=method) if rt.providers.named(method):
            # The bank may take up to BANK_TIMEOUT; the shopper sees LINE's animation meanwhile.
            rt.messenger.show_loading(user_id, rt.settings.bank_timeout + 2)
            payments.start_payment(db, rt.providers.named(method), rt.payment_settings, user_id,
                                   order_id, request_key=context.event_id)
        case postbacks.Pay():
            # A method no longer offered (LINE Pay switched off since the card was sent).
            raise errors.BadButton()
        case postbacks.CancelOrder(order_id=order_id):
            orders.cancel(db, order_id, shopper_id=user_id)
        case cmd.SetRecipient() as recipient:
            shoppers.save_recipient(db, user_id, recipient.name, recipient.phone,
                                    recipient.address)
        case cmd.Help():
            chat.show_help(db, user_id)
        case cmd.Malformed(usage_key=key):
            raise errors.Misspelt(key)
        case postbacks.BadPostback():
            raise errors.BadButton()
        case cmd.Unknown(text=text):
            raise errors.UnknownCommand(text=text)


def handle_follow(rt, context: ReplyContext) -> None:
    """Greet a new (or returning) follower with their coupon; their LINE language picks our texts."""
    try:
        profile = rt.messenger.get_profile(context.user_id)
        language, display_name = profile.language, profile.display_name
    except Exception as error:  # a greeting without the name beats no greeting
        log.info("event=profile_unavailable error=%s", type(error).__name__)
        language, display_name = context.language, None
    context.language = language
    shoppers.follow(rt.db.with_context(context), context.user_id, display_name, language,
                    rt.settings.shop_name, coupon=offer_from(rt.settings))


def handle_other(db, context: ReplyContext, raw: dict) -> None:
    """Stickers, images, joins…: a hint for a shopper's message, silence otherwise.

    :raise UnknownCommand: a message we can't read, with a reply token to answer it.
    """
    if raw.get("type") == "message" and context.reply_token:
        raise errors.UnknownCommand(text="…")
    chat.ignore(db, context.user_id)
