"""LIFF in the emulator: `/oauth2/v2.1/verify`, the LIFF SDK stand-in, opening LIFF links.

The chat page opens a LIFF URL (`https://liff.line.me/{liffId}/<path>`) the way LINE does
(line-platform.md §8.2): the app's endpoint with `liff.state=<path>` (the primary redirect), and
the stand-in SDK's `liff.init()` then moves to the endpoint + path (the secondary redirect). The
ID token of the shopper chosen in the chat page rides in the URL fragment, never to a server.
"""
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, request

from sandbox.line_http import state
from sandbox.line_login import verify_error

bp = Blueprint("line_liff", __name__)

SDK_JS = Path(__file__).resolve().parent / "static" / "liff-sdk.js"


@bp.post("/oauth2/v2.1/verify")
def verify_id_token():
    """LINE Login's ID token check: form fields `id_token` and `client_id`."""
    id_token, client_id = request.form.get("id_token"), request.form.get("client_id")
    if not id_token or not client_id:
        return jsonify(verify_error("id_token and client_id are required")), 400
    status, body = state().login.verify(id_token, client_id)
    return jsonify(body), status


@bp.get("/liff/sdk.js")
def liff_sdk():
    """The LIFF SDK stand-in (what `LIFF_SDK_URL` points at in the sandbox)."""
    return Response(SDK_JS.read_text(encoding="utf-8"), mimetype="text/javascript")


@bp.post("/_emulator/api/users/<user_id>/liff")
def open_liff(user_id: str):
    """The chat page taps a LIFF link: `{url}` → `{url}` to load, signed in as this shopper."""
    user = state().user(user_id)
    if user is None:
        abort(404, "unknown user")
    body = request.get_json(silent=True) or {}
    url = state().login.launch_url(str(body.get("url") or ""), user.user_id,
                                   user.display_name, user.language)
    if url is None:
        abort(404, "unknown LIFF app")
    return jsonify({"url": url})
