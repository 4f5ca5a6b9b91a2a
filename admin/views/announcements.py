"""Announcement pages: the list, a new one with its audience count and chat preview, its progress."""
from flask import abort, flash, redirect, render_template, request, url_for

from admin import bp
from admin.auth import shop
from admin.views.audit import current_actor
from handlers import scheduled
from models import limits
from models.admin_errors import AdminError, AnnouncementMissing
from models.announcement import SEGMENTS, STATUSES, parse_request, parse_segment
from services import admin_catalog, announcements


@bp.get("/announcements")
def announcements_list():
    """Every announcement, newest first, with how far its sending got."""
    return render_template("admin/announcements/list.html",
                           announcements=announcements.recent(shop().db), statuses=STATUSES)


@bp.get("/announcements/new")
def announcement_new():
    """The form; with `preview` set, also how many shoppers it reaches and what they will see."""
    rt = shop()
    found, error = None, None
    if request.args.get("preview"):
        try:
            found = scheduled.preview(rt, parse_request(form_body(request.args)))
        except AdminError as problem:
            error = problem.message
    return _new_page(request.args, found, error)


def _new_page(args, preview, error: str | None):
    products = [p for p in admin_catalog.list_all(shop().db) if p.active]
    return render_template("admin/announcements/new.html", args=args, preview=preview,
                           error=error, segments=SEGMENTS, products=products)


@bp.post("/announcements")
def announcement_create():
    """Store the announcement and start sending it (held if the quota reserve would be used)."""
    rt = shop()
    try:
        created = scheduled.announce(rt, parse_request(form_body(request.form)),
                                     current_actor())
    except AdminError as error:
        return _new_page(request.form, None, error.message), 422
    if created["status"] == "held":
        flash(f"公告 #{created['id']} 暫緩發送：{created['held_reason']}", "error")
    else:
        flash(f"公告 #{created['id']} 開始發送給 {created['recipients']} 位顧客。", "success")
    return redirect(url_for("admin.announcement", announcement_id=created["id"]), 303)


@bp.get("/announcements/<int:announcement_id>")
def announcement(announcement_id: int):
    """One announcement: status, progress, and the messages as the chat shows them.

    :raise 404: no such announcement.
    """
    try:
        found = announcements.get(shop().db, announcement_id)
    except AnnouncementMissing:
        abort(404)
    return render_template("admin/announcements/detail.html", a=found, statuses=STATUSES,
                           segments=SEGMENTS)


@bp.app_template_filter("segment_name")
def segment_name(stored: dict) -> str:
    """A stored segment as the owner reads it."""
    return parse_segment(stored).describe()


def form_body(form) -> dict:
    """The page's fields in the JSON API's shape, so both are checked by the same rules.

    A field that isn't a plain number is passed on as text, which the rules refuse by name.
    """
    def number(raw: str):
        value = limits.whole(raw.strip(), 1, limits.MAX_ID)
        return raw if value is None else value

    segment = {"kind": form.get("segment", "")}
    if form.get("segment_product_id", "").strip():
        segment["product_id"] = number(form["segment_product_id"])
    if form.get("segment_days", "").strip():
        segment["days"] = number(form["segment_days"])
    return {"text": form.get("text", ""), "segment": segment,
            "product_ids": [number(raw) for raw in form.getlist("product_ids") if raw.strip()]}
