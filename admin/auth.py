"""Owner login: session loading, the blueprint-wide guard, CSRF tokens and the account commands."""
import hmac
import logging
import secrets
from datetime import timedelta

import click
from flask import (current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask.cli import with_appcontext

from admin import bp
from models.admin_errors import AdminError, LoginLocked
from services import admin_accounts

log = logging.getLogger(__name__)

PUBLIC_ENDPOINTS = {"admin.login"}
SESSION_LIFETIME = timedelta(hours=12)


def shop():
    """The process's Runtime (settings, db, delivery)."""
    return current_app.extensions["runtime"]


@bp.before_request
def guard():
    """Every page and form needs a logged-in owner; every POST needs the session's CSRF token.

    One guard for the whole blueprint, so a new route can't forget it. The API checks its own token.
    :raise 400: a POST without the right CSRF token.
    """
    if "admin.api" in request.blueprints:
        return None
    admin_id = session.get("admin_id")
    g.admin = admin_accounts.get_admin(shop().db, admin_id) if admin_id else None
    if g.admin is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path))
        return redirect(url_for("admin.login"), 303)
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        expected = session.get("csrf_token", "")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            return render_template("admin/error.html", message="表單已過期，請重新整理頁面後再送出。"), 400
    return None


@bp.app_template_global()
def csrf_token() -> str:
    """The session's CSRF token, made on first use (for a hidden field in every form)."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Show the login form; on POST check the credentials and start a fresh session."""
    if request.method == "GET":
        return render_template("admin/login.html", email="")
    email = request.form.get("email", "")
    try:
        admin = admin_accounts.log_in(shop().db, email, request.form.get("password", ""))
    except AdminError as error:
        log.info("event=admin_login_failed locked=%s", isinstance(error, LoginLocked))
        flash(error.message, "error")
        status = 429 if isinstance(error, LoginLocked) else 401
        return render_template("admin/login.html", email=email), status
    # A new session on login, so a token planted before it (session fixation) is worthless.
    session.clear()
    session.permanent = True
    session["admin_id"] = admin["id"]
    log.info("event=admin_login admin_id=%s", admin["id"])
    return redirect(_safe_next(request.args.get("next")), 303)


def _safe_next(target: str | None) -> str:
    # Only back into the back office: never an open redirect to another site.
    if target and target.startswith("/admin/") and not target.startswith("//"):
        return target
    return url_for("admin.dashboard")


@bp.post("/logout")
def logout():
    """End the session."""
    session.clear()
    flash("已登出。", "info")
    return redirect(url_for("admin.login"), 303)


@click.command("create-admin")
@click.argument("email")
@with_appcontext
def create_admin_command(email):
    """Create a shop-owner account (or reset its password); the password is asked for."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        admin_accounts.create_admin(shop().db, email, password)
    except AdminError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Admin {admin_accounts.normalise_email(email)} is ready.")


@click.command("create-admin-token")
@click.argument("email")
@with_appcontext
def create_admin_token_command(email):
    """Print a new API token for the account (shown once; the previous token stops working)."""
    try:
        token = admin_accounts.issue_api_token(shop().db, email)
    except AdminError as error:
        raise click.ClickException(error.message) from None
    click.echo(token)
