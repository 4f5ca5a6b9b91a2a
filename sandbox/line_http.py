"""Request helpers shared by the emulator's Messaging API blueprints: state lookup, JSON bodies, errors."""

import json

from flask import current_app, request

from sandbox.line_state import LineState


class LineApiError(Exception):
    """An error answered the way LINE does: `{message, details?}` plus optional headers (§2.6)."""

    def __init__(self, status: int, message: str, details: list | None = None,
                 headers: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details
        self.headers, self.extra = headers or {}, extra or {}


def state() -> LineState:
    """The LineState handed to the app factory."""
    return current_app.extensions["line_state"]


def json_body() -> dict:
    """Parse the request body as a JSON object. :raise LineApiError: 400 like LINE's parser."""
    try:
        body = json.loads(request.get_data() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (f"line: {exc.lineno}, column: {exc.colno}" if isinstance(exc, json.JSONDecodeError)
                 else "line: 1, column: 1")
        raise LineApiError(400, f"The request body could not be parsed as JSON ({where})") from exc
    if not isinstance(body, dict):
        raise LineApiError(400, "The request body could not be parsed as JSON (line: 1, column: 1)")
    return body


def invalid_body(details: list[dict]) -> LineApiError:
    """The 400 LINE answers for schema violations."""
    return LineApiError(400, f"The request body has {len(details)} error(s)", details)
