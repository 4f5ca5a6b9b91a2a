"""One handler per LINE event type: parse, call one service, let it answer."""
import logging
from datetime import datetime, timedelta, timezone

from handlers import chat_commands as cmd
from handlers import postbacks
from models import messages
from models.errors import ShopError
from services import cart, catalog, checkout, orders, payments, shoppers
from services import answers
from services.answers import Answer
from services.coupons import offer_from

log = logging.getLogger(__name__)

# LINE honours a reply token for about a minute after delivery; leave a margin, then push.
REPLY_TOKEN_LIFE = timedelta(seconds=50)


def parse_event(raw: dict) -> tuple[str, str | None]:
    """What a stored event asks for: ("text", text), ("postback", data), ("follow", None),
    ("unfollow", None), or ("other", None) for anything else.

    Plain dict lookups: the SDK's pydantic models cost more CPU than the rest of a cart event.
    As with the SDK's parser, an unknown type or an odd shape is "other", as an UnknownEvent
    (or a message that is not text) would be.
    """
    kind = raw.get("type")
    if kind == "message":
        message = raw.get("message")
        if (isinstance(message, dict) and message.get("type") == "text"
                and isinstance(message.get("text"), str)):
            return "text", message["text"]
    elif kind == "postback":
        postback = raw.get("postback")
        if isinstance(postback, dict) and isinstance(postback.get("data"), str):
            return "postback", postback["data"]
    elif kind in ("follow", "unfollow"):
        return kind, None
    return "other", None


def handle(rt, raw: dict, language: str | None, lease_token: str | None = None) -> Answer:
    """Work one inbox event; a ShopError becomes a helpful answer, anything else propagates.

    `lease_token` fences the work: it commits only while this worker holds the event.
    Returns the answer given (it knows whether the shopper has another event waiting).
    The shop works in one-to-one chats only: a group or room is invited (once) to chat one to
    one, and an event in standby mode (another channel owns the chat) changes nothing and says
    nothing, nor does one without a user to answer.
    """
    kind, value = parse_event(raw)
    answer = _answer_for(raw, language)
    answer.lease_token = lease_token
    if raw.get("mode", "active") != "active" or not answer.user_id:
        answers.answer_with(rt.db, answer, [])
    elif _source(raw).get("type") in ("group", "room"):
        shoppers.invite_group(rt.db, answer)  # answer.user_id is the group's (or room's) id
    else:
        _handle_shopper(rt, raw, kind, value, answer)
    rt.delivery.send_now(answer.queued)
    return answer


def _handle_shopper(rt, raw: dict, kind: str, value: str | None, answer: Answer) -> None:
    try:
        if kind == "text":
            handle_text_message(rt, value, answer)
        elif kind == "postback":
            handle_postback(rt, value, answer)
        elif kind == "follow":
            handle_follow(rt, answer)
        elif kind == "unfollow":
            shoppers.unfollow(rt.db, answer)
        else:
            handle_other(rt, raw, answer)
    except ShopError as error:
        answers.answer_with(rt.db, answer, [messages.text(error.text_key, answer.language,
                                                           **error.params)])


def _source(raw: dict) -> dict:
    return raw.get("source") if isinstance(raw.get("source"), dict) else {}


def _chat_id(source: dict) -> str | None:
    """Whom an answer goes to: the shopper in a one-to-one chat, else the whole group or room."""
    key = {"user": "userId", "group": "groupId", "room": "roomId"}.get(source.get("type"))
    chat_id = source.get(key) if key else None
    return chat_id if isinstance(chat_id, str) and chat_id else None


def _answer_for(raw: dict, language: str | None) -> Answer:
    """Who to answer and how; tolerant of any shape, since a stored event may be odd.

    `user_id` is None when there is nobody to answer (then nothing may be sent or stored).
    """
    token = raw.get("replyToken") if raw.get("mode", "active") == "active" else None
    timestamp = raw.get("timestamp")
    try:
        delivered = datetime.fromtimestamp(timestamp / 1000, timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        delivered = datetime.now(timezone.utc)
    return Answer(
        user_id=_chat_id(_source(raw)),
        language=language,
        event_id=raw.get("webhookEventId"),
        reply_token=token if isinstance(token, str) else None,
        reply_until=delivered + REPLY_TOKEN_LIFE,
    )


def handle_text_message(rt, text: str, answer: Answer) -> None:
    command = cmd.parse(text)
    _run(rt, command, answer)


def handle_postback(rt, data: str, answer: Answer) -> None:
    command = postbacks.parse(data)
    _run(rt, command, answer)


def _run(rt, command, answer: Answer) -> None:
    match command:
        case cmd.ShowProducts(page=page):
            catalog.show_products(rt.db, answer, page, rt.links)
        case postbacks.ShowProduct(product_id=product_id):
            catalog.show_product(rt.db, answer, product_id, rt.links)
        case cmd.ShowCart():
            cart.show(rt.db, answer)
        case cmd.ChangeCart(product_id=product_id, amount=amount, relative=relative):
            cart.change_quantity(rt.db, answer, product_id, amount, relative=relative)
        case postbacks.DropUnavailable():
            cart.drop_unavailable(rt.db, answer)
        case cmd.Checkout():
            checkout.checkout(rt.db, answer, hold_minutes=rt.settings.order_hold_minutes)
        case cmd.ShowOrders():
            orders.show_recent(rt.db, answer)
        case postbacks.Pay(order_id=order_id, pay_type=pay_type):
            # The bank may take up to BANK_TIMEOUT; the shopper sees LINE's animation meanwhile.
            rt.messenger.show_loading(answer.user_id, rt.settings.bank_timeout + 2)
            payments.start_payment(rt.db, rt.bank, rt.payment_settings, answer, order_id,
                                   pay_type)
        case postbacks.CancelOrder(order_id=order_id):
            orders.cancel(rt.db, answer, order_id)
        case cmd.SetRecipient() as recipient:
            shoppers.save_recipient(rt.db, answer, recipient.name, recipient.phone,
                                    recipient.address)
        case cmd.Help():
            answers.answer_with(rt.db, answer, messages.help_text(answer.language))
        case cmd.Malformed(usage_key=key):
            answers.answer_with(rt.db, answer, [messages.text(key, answer.language)])
        case postbacks.BadPostback():
            answers.answer_with(rt.db, answer, [messages.text("bad_postback", answer.language)])
        case cmd.Unknown(text=text):
            answers.answer_with(rt.db, answer, [messages.text("unknown_command",
                                                               answer.language, text=text)])


def handle_follow(rt, answer: Answer) -> None:
    """Greet a new (or returning) follower with their coupon; their LINE language picks our texts."""
    try:
        profile = rt.messenger.get_profile(answer.user_id)
        answer.language = profile.language
        display_name = profile.display_name
    except Exception as error:  # a greeting without the name beats no greeting
        log.info("event=profile_unavailable error=%s", type(error).__name__)
        display_name = None
    shoppers.follow(rt.db, answer, display_name, rt.settings.shop_name,
                    coupon=offer_from(rt.settings))


def handle_other(rt, raw: dict, answer: Answer) -> None:
    """Stickers, images, joins…: a hint for a shopper's message, silence otherwise."""
    if raw.get("type") == "message" and answer.reply_token:
        answers.answer_with(rt.db, answer, [messages.text("unknown_command", answer.language,
                                                           text="…")])
    else:
        answers.answer_with(rt.db, answer, [])
