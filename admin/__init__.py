"""The shop owner's back office: server-rendered pages under /admin and a JSON API under /admin/api."""
from flask import Blueprint, Flask

from models.order import TAIPEI

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.app_template_filter("taipei")
def taipei_time(moment) -> str:
    """A timestamp as the shop owner reads it: Taipei local time."""
    return moment.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M") if moment else ""

# Imported after `bp` exists: each module adds its routes to it.
from admin import api, auth  # noqa: E402
from admin.views import dashboard, orders, products  # noqa: E402,F401

bp.register_blueprint(api.bp)


def init_app(app: Flask) -> None:
    """Session cookie settings and the account commands (`create-admin`, `create-admin-token`)."""
    settings = app.extensions["runtime"].settings
    app.config.update(
        SECRET_KEY=settings.flask_secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=auth.SESSION_LIFETIME,
    )
    app.cli.add_command(auth.create_admin_command)
    app.cli.add_command(auth.create_admin_token_command)
