"""POST /callback: verify LINE's signature, store the events, answer 200 at once."""
import json
import logging

from flask import Blueprint, abort, current_app, request
from linebot.v3.exceptions import InvalidSignatureError

from db import inbox

log = logging.getLogger(__name__)

bp = Blueprint("line", __name__)

# LINE's bodies are a few KB; anything near this is not LINE.
MAX_BODY_BYTES = 1024 * 1024
# LINE's events nest a handful of levels (event → message → mention → mentionees → …).
MAX_DEPTH = 32


@bp.post("/callback")
def callback():
    """Store every signed event in the inbox before answering; the workers do the rest."""
    rt = current_app.extensions["runtime"]
    if (request.content_length or 0) > MAX_BODY_BYTES:
        abort(413)
    if request.mimetype != "application/json":
        abort(415)
    signature = request.headers.get("X-Line-Signature")
    if not signature:
        abort(400, "missing X-Line-Signature")
    body = request.get_data(as_text=True)
    try:
        if not rt.signature_validator.validate(body, signature):
            raise InvalidSignatureError("signature mismatch")
    except (InvalidSignatureError, ValueError):
        abort(400, "invalid signature")
    events = _events(body)
    if events:
        with rt.db.statement() as cur:
            leased = inbox.store_events(cur, events, leased=rt.worker.threads > 0,
                                        lease_seconds=rt.worker.lease_seconds)
        log.info("event=webhook_stored received=%d leased=%d", len(events), len(leased))
        if leased:
            rt.worker.submit(leased)
    return "OK"


def _events(body: str) -> list[dict]:
    """The events list, refusing shapes LINE never sends (they could not be stored or retried).

    :raise 400: not JSON, nested too deeply, no events list, or an event without a webhookEventId.
    """
    try:
        payload = json.loads(body)
    except ValueError:
        abort(400, "body is not JSON")
    except RecursionError:  # the parser gave up on the nesting before we could measure it
        abort(400, "body is nested too deeply")
    if _too_deep(payload):
        abort(400, "body is nested too deeply")
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        abort(400, "no events list")
    for event in events:
        if not isinstance(event, dict) or not isinstance(event.get("webhookEventId"), str):
            abort(400, "event without webhookEventId")
    return _without_nul(events)


def _too_deep(value) -> bool:
    """Whether lists and objects nest past MAX_DEPTH (iterative: no body can exhaust the stack)."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) \
            else ()
        if children and depth > MAX_DEPTH:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def _without_nul(value):
    """PostgreSQL text and jsonb can't hold U+0000; a shopper can still type it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value
