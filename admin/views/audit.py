"""The audit trail page: every owner action, newest first, filtered. No route changes it."""
import json
from datetime import date, timedelta

from flask import g, render_template, request

from admin import bp
from admin.auth import shop
from models.audit import ACTIONS, ENTITIES, Actor
from services import admin_audit
from services.admin_audit import AuditFilter
from services.reports import taipei_day_start


def current_actor() -> Actor:
    """The owner behind this request: their session, or their API token under /admin/api."""
    return Actor.owner(g.admin, "api" if "admin.api" in request.blueprints else "web")


@bp.get("/audit")
def audit():
    """Every recorded owner action, newest first; query: action, entity, entity_id, who, from,
    to (YYYY-MM-DD, Taipei), page. Malformed filters are ignored; pages stay in range."""
    found = admin_audit.find(shop().db, audit_filter(request.args), request.args.get("page"))
    return render_template("admin/audit/list.html", found=found, args=request.args,
                           actions=ACTIONS, entities=ENTITIES)


def audit_filter(args) -> AuditFilter:
    """The filters from query arguments (the page and the JSON API share them)."""
    start, end = _day(args.get("from")), _day(args.get("to"))
    entity_id = (args.get("entity_id") or "").strip()
    return AuditFilter(
        action=args.get("action") if args.get("action") in ACTIONS else None,
        entity_type=args.get("entity") if args.get("entity") in ENTITIES else None,
        entity_id=int(entity_id) if entity_id.isascii() and entity_id.isdigit()
        and len(entity_id) < 19 else None,
        who=(args.get("who") or "").strip()[:254] or None,
        at_from=taipei_day_start(start) if start else None,
        at_to=taipei_day_start(end + timedelta(days=1)) if end and end < date.max else None)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@bp.app_template_filter("audit_value")
def audit_value(value) -> str:
    """A recorded value as text: nothing as a dash, lists and maps as compact JSON."""
    if value is None:
        return "—"
    if isinstance(value, (dict, list, bool)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@bp.app_template_filter("audit_action")
def audit_action(action: str) -> str:
    """An action's name for the owner (an unknown one as recorded)."""
    return ACTIONS.get(action, action)
