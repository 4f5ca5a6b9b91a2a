"""The browser chat page and the small JSON API under /_emulator that it, tests and benchmarks use."""

from flask import Blueprint, Response, abort, jsonify, render_template, request

from sandbox.line_http import state
from sandbox.line_webhook_sender import Delivery

bp = Blueprint("line_chat", __name__)

_MAX_WAIT_SECONDS = 25.0


def _delivery(delivery: Delivery) -> Response:
    return jsonify({"status": delivery.status, "latencyMs": round(delivery.latency_ms, 1),
                    "error": delivery.error,
                    "webhookEventId": delivery.event["webhookEventId"] if delivery.event else None})


def _user_id(user_id: str) -> str:
    if state().user(user_id) is None:
        abort(404, "unknown user")
    return user_id


def _body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.get("/")
@bp.get("/chat")
def chat_page():
    """The LINE-like chat page."""
    return render_template("chat.html", bot_name=state().bot_name)


@bp.get("/_emulator/api/users")
def list_users():
    """All shoppers."""
    return jsonify({"users": [u.to_json() for u in state().users()], "botName": state().bot_name})


@bp.post("/_emulator/api/users")
def create_user():
    """Add a shopper: `{displayName, language?}`; new shoppers have not added the account yet."""
    body = _body()
    name = str(body.get("displayName") or "").strip()
    if not name:
        abort(400, "displayName is required")
    language = "en" if body.get("language") == "en" else "zh-TW"
    return jsonify(state().add_user(name, language, following=False).to_json()), 201


@bp.get("/_emulator/api/users/<user_id>/messages")
def messages(user_id: str):
    """Conversation entries after `after`, long-polling up to `wait` seconds; `total` detects resets."""
    after = request.args.get("after", 0, type=int)
    wait = min(request.args.get("wait", 0.0, type=float), _MAX_WAIT_SECONDS)
    entries = state().conversation(_user_id(user_id), after, wait)
    total = after + len(entries) if entries else len(state().conversation(user_id))
    return jsonify({"messages": entries, "total": total})


@bp.post("/_emulator/api/users/<user_id>/text")
def send_text(user_id: str):
    """The shopper sends a text message."""
    text = str(_body().get("text") or "")
    if not text:
        abort(400, "text is required")
    return _delivery(state().webhook.send_text(_user_id(user_id), text))


@bp.post("/_emulator/api/users/<user_id>/postback")
def send_postback(user_id: str):
    """The shopper taps a postback action: `{data, displayText?, params?}`."""
    body = _body()
    params = body.get("params") if isinstance(body.get("params"), dict) else None
    return _delivery(state().webhook.send_postback(
        _user_id(user_id), str(body.get("data") or ""), params, body.get("displayText")))


@bp.post("/_emulator/api/users/<user_id>/follow")
def follow(user_id: str):
    """The shopper adds or unblocks the account."""
    return _delivery(state().webhook.send_follow(_user_id(user_id)))


@bp.post("/_emulator/api/users/<user_id>/unfollow")
def unfollow(user_id: str):
    """The shopper blocks the account."""
    return _delivery(state().webhook.send_unfollow(_user_id(user_id)))


@bp.get("/_emulator/api/richmenu")
def default_rich_menu():
    """The default rich menu with an image URL, or `{}` when none is set."""
    rich_menu_id = state().default_rich_menu_id
    menu = state().rich_menu(rich_menu_id) if rich_menu_id else None
    if menu is None:
        return jsonify({})
    return jsonify({"richMenuId": rich_menu_id, **menu.menu,
                    "imageUrl": f"/_emulator/api/richmenus/{rich_menu_id}/image"})


@bp.get("/_emulator/api/richmenus/<rich_menu_id>/image")
def rich_menu_image(rich_menu_id: str):
    """A rich menu image, without the bot's access token."""
    menu = state().rich_menu(rich_menu_id)
    if menu is None or menu.image is None:
        abort(404)
    return Response(menu.image, mimetype=menu.image_type)


@bp.post("/_emulator/api/verify")
def verify():
    """Send the console's Verify webhook (`events: []`)."""
    return _delivery(state().webhook.send_verify())


@bp.post("/_emulator/api/events/<event_id>/redeliver")
def redeliver(event_id: str):
    """Redeliver a sent event with `isRedelivery: true`."""
    if state().event(event_id) is None:
        abort(404, "unknown event")
    return _delivery(state().webhook.redeliver(event_id))


@bp.get("/_emulator/stats")
def stats():
    """Counters for benchmarks: replies, pushes, errors and the latest errors."""
    return jsonify(state().stats())


@bp.post("/_emulator/reset")
def reset():
    """Clear conversations, tokens, retry keys and counters (users and rich menus stay)."""
    state().reset()
    return jsonify({})
