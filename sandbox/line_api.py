"""Messaging API endpoints under /v2/bot with LINE's status codes and error JSON (line-platform.md §2).

`bp` owns authentication, the X-Line-Request-Id header and error rendering for every /v2/bot
route; the rich menu routes are a child blueprint so they share those hooks.
"""

import re
import time
import uuid

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from sandbox import line_limits as L
from sandbox.line_http import LineApiError, invalid_body, json_body, state
from sandbox.line_richmenu import bp as richmenu_bp
from sandbox.line_validator import validate_messages

bp = Blueprint("line_api", __name__, url_prefix="/v2/bot")
bp.register_blueprint(richmenu_bp)

_USER_ID = re.compile(r"U[0-9a-f]{32}")
_LOOPBACK_HTTP = re.compile(r"http://(127\.0\.0\.1|localhost)[:/]")
_QUOTABLE = frozenset({"text", "sticker", "image"})
MONTHLY_LIMIT = "You have reached your monthly limit."
AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."


@bp.before_request
def _authenticate():
    expected = f"Bearer {state().access_token}"
    if request.headers.get("Authorization") != expected:
        raise LineApiError(401, AUTH_FAILED)


@bp.after_request
def _add_request_id(response: Response) -> Response:
    response.headers.setdefault("X-Line-Request-Id", str(uuid.uuid4()))
    return response


@bp.errorhandler(LineApiError)
def _line_error(error: LineApiError):
    state().record_error(error.status, request.path, error.message)
    body = {"message": error.message, **({"details": error.details} if error.details else {}), **error.extra}
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    return _line_error(LineApiError(413, "Request Entity Too Large"))


def _https_for_loopback(node):
    """A copy with http://127.0.0.1 and http://localhost URLs read as https, for validation only."""
    if isinstance(node, dict):
        return {key: _https_for_loopback(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_https_for_loopback(value) for value in node]
    if isinstance(node, str) and _LOOPBACK_HTTP.match(node):
        return "https://" + node[len("http://"):]
    return node


def _checked_messages(body: dict) -> list[dict]:
    messages = body.get("messages")
    if state().http_on_loopback:
        messages = _https_for_loopback(messages)
    details = validate_messages(messages)
    if details:
        raise invalid_body(details)
    return body["messages"]


def _sent(messages: list[dict]) -> list[dict]:
    """`sentMessages` entries: string ids, plus a quoteToken for quotable types."""
    return [{"id": state().next_message_id(),
             **({"quoteToken": uuid.uuid4().hex} if m["type"] in _QUOTABLE else {})} for m in messages]


def _retry_conflict(sent: list | None) -> None:
    """Accept X-Line-Retry-Key, or raise the 409 LINE gives for a key seen within 24 h (§2.5)."""
    key = request.headers.get("X-Line-Retry-Key")
    if key is None:
        return
    try:
        uuid.UUID(key)
    except ValueError as exc:
        raise LineApiError(400, "The retry key must be a UUID") from exc
    request_id = str(uuid.uuid4())
    earlier = state().accept_retry_key(key, request_id, sent or [])
    if earlier is not None:
        accepted_id, accepted_sent = earlier
        extra = {"sentMessages": accepted_sent} if sent is not None else {}
        raise LineApiError(409, "The retry key is already accepted",
                           headers={"X-Line-Accepted-Request-Id": accepted_id}, extra=extra)
    request.environ["line.request_id"] = request_id


def _send_counted(user_ids: list[str], sent: list | None) -> None:
    """Take the quota for those who will get the messages, then accept the retry key.

    Blocked and unknown users are not counted (§11); over the limit nothing is sent (429),
    and a repeated retry key (409) gives back what it took.
    """
    reachable = sum(1 for user_id in user_ids
                    if (user := state().user(user_id)) is not None and not user.blocked)
    if not state().quota.take(reachable):
        raise LineApiError(429, MONTHLY_LIMIT)
    try:
        _retry_conflict(sent)
    except LineApiError:
        state().quota.give_back(reachable)
        raise


def _inject_fault() -> None:
    """Apply a test's fault knob: fail now, hang first, or deliver and then lose the answer."""
    fault = state().take_fault()
    if fault == "hang":
        time.sleep(state().hang_seconds)
    if fault == "before":
        raise LineApiError(500, "Internal server error")
    if fault == "after":
        request.environ["line.fail_after"] = True


def _deliver(user_id: str, messages: list[dict], via: str) -> None:
    """Put messages in a user's (or group's) conversation unless the user blocked us (§2.4)."""
    user = state().user(user_id)
    if (user is None and state().group_kind(user_id) is None) or (user and user.blocked):
        state().count("undelivered")
        return
    for message in messages:
        state().record(user_id, "bot", message, via)


def _ok(body: dict, status: int = 200) -> Response:
    if request.environ.get("line.fail_after"):
        raise LineApiError(500, "Internal server error")
    response = jsonify(body)
    response.status_code = status
    if "line.request_id" in request.environ:
        response.headers["X-Line-Request-Id"] = request.environ["line.request_id"]
    return response


@bp.post("/message/reply")
def reply():
    """Reply with 1-5 messages using a single-use reply token (§2.3)."""
    _inject_fault()
    body = json_body()
    messages = _checked_messages(body)
    user_id = state().use_reply_token(str(body.get("replyToken", "")))
    if user_id is None:
        raise LineApiError(400, "Invalid reply token")
    _deliver(user_id, messages, "reply")
    state().count("replies")
    return _ok({"sentMessages": _sent(messages)})


@bp.post("/message/push")
def push():
    """Push to a known user, group or room; blocked users get nothing, yet it succeeds (§2.4)."""
    _inject_fault()
    body = json_body()
    messages = _checked_messages(body)
    to = str(body.get("to", ""))
    if state().user(to) is None and state().group_kind(to) is None:
        raise LineApiError(400, "Failed to send messages")
    sent = _sent(messages)
    _send_counted([body["to"]], sent)
    _deliver(body["to"], messages, "push")
    state().count("pushes")
    return _ok({"sentMessages": sent})


@bp.post("/message/multicast")
def multicast():
    """Send to up to 500 user IDs; unknown or blocked users are skipped silently (§12)."""
    _inject_fault()
    body = json_body()
    messages = _checked_messages(body)
    to = body.get("to")
    if not isinstance(to, list) or not 1 <= len(to) <= L.MAX_MULTICAST_TO:
        raise invalid_body([{"message": f"Size must be between 1 and {L.MAX_MULTICAST_TO}", "property": "to"}])
    for i, user_id in enumerate(to):
        if not isinstance(user_id, str) or not _USER_ID.fullmatch(user_id):
            raise LineApiError(400, f"The property, to[{i}], in the request body is invalid")
    _send_counted(to, None)
    for user_id in to:
        _deliver(user_id, messages, "multicast")
    state().count("multicasts")
    return _ok({})


@bp.get("/message/quota")
def quota():
    """The month's target limit (§11)."""
    return _ok(state().quota.quota_json())


@bp.get("/message/quota/consumption")
def quota_consumption():
    """Messages sent this month: push and multicast, per recipient (§11)."""
    return _ok(state().quota.consumption_json())


@bp.post("/message/validate/<kind>")
def validate(kind: str):
    """Validate messages without sending them."""
    if kind not in ("reply", "push", "multicast", "narrowcast", "broadcast"):
        raise LineApiError(404, "Not found")
    _checked_messages(json_body())
    return _ok({})


@bp.get("/profile/<user_id>")
def profile(user_id: str):
    """A user's profile; 404 for unknown users and users who blocked the account."""
    user = state().user(user_id)
    if user is None or user.blocked:
        raise LineApiError(404, "Not found")
    return _ok({"userId": user.user_id, "displayName": user.display_name, "language": user.language})


@bp.post("/chat/loading/start")
def loading_start():
    """The loading animation: answered 202 `{}` (§2.2)."""
    body = json_body()
    seconds = body.get("loadingSeconds", 20)
    if state().user(str(body.get("chatId", ""))) is None:
        raise invalid_body([{"message": "Invalid chatId", "property": "chatId"}])
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 5 <= seconds <= 60 or seconds % 5:
        raise invalid_body([{"message": "Must be a multiple of 5 between 5 and 60", "property": "loadingSeconds"}])
    state().loading_started.append({"chatId": body["chatId"], "loadingSeconds": seconds,
                                    "time": int(state().clock() * 1000)})
    return _ok({}, 202)
