"""Owner login: session loading, the blueprint-wide guard, CSRF tokens and the account commands."""
import hmac
import logging
import secrets
import time
from datetime import timedelta

import click
from flask import (current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from flask.cli import with_appcontext

from admin import bp
from models.admin_errors import AdminError, LoginLocked
from models.audit import Actor
from services import admin_accounts

log = logging.getLogger(__name__)

PUBLIC_ENDPOINTS = {"admin.login", "admin.static"}
# Counted from login, whatever the owner does meanwhile: a stolen cookie dies within this.
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
    g.admin = _session_owner()
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


def _session_owner() -> dict | None:
    """The owner of a live session: the account's current session version, not yet expired."""
    admin_id = session.get("admin_id")
    if not admin_id:
        return None
    admin = admin_accounts.get_admin(shop().db, admin_id)
    issued_at = session.get("issued_at")
    if (admin is None or session.get("session_version") != admin["session_version"]
            or not isinstance(issued_at, int)
            or time.time() - issued_at > SESSION_LIFETIME.total_seconds()):
        session.clear()
        return None
    return admin


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
        # request.remote_addr is the client as the trusted proxies saw it (ProxyFix in app.py).
        admin = admin_accounts.log_in(shop().db, email, request.form.get("password", ""),
                                      request.remote_addr)
    except AdminError as error:
        locked = isinstance(error, LoginLocked)
        log.info("event=admin_login_failed locked=%s", locked)
        flash(error.message, "error")
        page = render_template("admin/login.html", email=email)
        if locked:
            return page, 429, {"Retry-After": str(error.retry_after)}
        return page, 401
    # A new session on login, so a token planted before it (session fixation) is worthless.
    session.clear()
    session.permanent = True
    session["admin_id"] = admin["id"]
    session["session_version"] = admin["session_version"]
    session["issued_at"] = int(time.time())
    log.info("event=admin_login admin_id=%s", admin["id"])
    return redirect(_safe_next(request.args.get("next")), 303)


def _safe_next(target: str | None) -> str:
    # Only back into the back office: never an open redirect to another site.
    if target and target.startswith("/admin/") and not target.startswith("//"):
        return target
    return url_for("admin.dashboard")


@bp.post("/logout")
def logout():
    """End every session of this owner (a copied cookie included), not just this browser's."""
    admin_accounts.end_sessions(shop().db, g.admin["email"])
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
        token = admin_accounts.issue_api_token(shop().db, email, Actor.cli())
    except AdminError as error:
        raise click.ClickException(error.message) from None
    click.echo(token)


@click.command("revoke-sessions")
@click.argument("email")
@with_appcontext
def revoke_sessions_command(email):
    """Log the account out everywhere: every session cookie issued so far stops working."""
    try:
        admin_accounts.end_sessions(shop().db, email)
    except AdminError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Every session of {admin_accounts.normalise_email(email)} has ended.")
