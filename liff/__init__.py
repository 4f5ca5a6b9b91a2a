"""The shop page inside LINE (a LIFF app) at /liff/: static HTML, CSS and vanilla JS over /api.

LINE opens `https://liff.line.me/{LIFF_ID}/<path>` at the registered endpoint `/liff/` and
then at `/liff/<path>` (line-platform.md §8.2), so every sub-path serves the same page.
Off (404) unless LIFF_ID is set.
"""
from flask import Blueprint, abort, current_app, make_response, render_template

from models.texts import PAGE_TEXTS

bp = Blueprint("liff", __name__, url_prefix="/liff", template_folder="templates",
               static_folder="static", static_url_path="/assets")


@bp.get("/")
@bp.get("/<path:path>")
def page(path: str = ""):
    """The single page; its script reads the path. :raise 404: LIFF is off."""
    rt = current_app.extensions["runtime"]
    settings = rt.settings
    if not settings.liff_id:
        abort(404)
    response = make_response(render_template(
        "liff/index.html", liff_id=settings.liff_id, sdk_url=settings.liff_sdk_url,
        shop_name=settings.shop_name, texts=PAGE_TEXTS,
        methods=[method.name for method in rt.providers.methods]))
    # LINE's first redirect carries credentials in the URL: never pass it on as a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

