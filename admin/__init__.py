"""The shop owner's back office: server-rendered pages under /admin and a JSON API under /admin/api."""
from flask import Blueprint, Flask, abort, request

from models.order import TAIPEI

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static")


@bp.before_request
def refuse_nul():
    """PostgreSQL text can't hold U+0000, so no field the owner or a script sends may contain it.

    :raise 400: a NUL in a query argument, a form field or a JSON body.
    """
    sent = [*request.args.items(multi=True), *request.form.items(multi=True)]
    if any("\x00" in value for _, value in sent) or b"\\u0000" in request.get_data():
        abort(400, "U+0000 (NUL) can't be stored")


@bp.app_template_filter("taipei")
def taipei_time(moment) -> str:
    """A timestamp as the shop owner reads it: Taipei local time."""
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M") if moment else ""

# Imported after `bp` exists: each module adds its routes to it.
from admin import api, auth, security  # noqa: E402
from admin.views import audit, dashboard, orders, products  # noqa: E402,F401

bp.register_blueprint(api.bp)


def init_app(app: Flask) -> None:
    """Session cookie settings, security headers and the account commands."""
    settings = app.extensions["runtime"].settings
    app.config.update(
        # SECRET_KEY is its own random value, never derived from another secret.
        SECRET_KEY=settings.secret_key or security.local_secret_key(app.instance_path),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=auth.SESSION_LIFETIME,
        # The cookie's expiry stays where login set it: a session's life never slides.
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    app.after_request(security.add_security_headers)
    app.cli.add_command(auth.create_admin_command)
    app.cli.add_command(auth.create_admin_token_command)
    app.cli.add_command(auth.revoke_sessions_command)
