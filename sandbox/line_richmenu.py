"""Rich menu endpoints (line-platform.md §6): create, upload the image once, set the default.

Nested under the /v2/bot blueprint, so authentication, request ids and error JSON are shared. The
image routes normally live on api-data.line.me; `Configuration(host=…)` sends them here too (§4.3).
"""

import struct

from flask import Blueprint, Response, jsonify, request

from sandbox import line_limits as L
from sandbox.line_http import LineApiError, invalid_body, json_body, state
from sandbox.line_validator import validate_rich_menu_action

bp = Blueprint("line_richmenu", __name__)


def validate_rich_menu(menu: dict) -> list[dict]:
    """LINE-style details for a rich menu object; empty when valid."""
    errors = []
    size = menu.get("size") if isinstance(menu.get("size"), dict) else {}
    width, height = size.get("width"), size.get("height")
    if not isinstance(width, int) or not L.RICH_MENU_WIDTH[0] <= width <= L.RICH_MENU_WIDTH[1]:
        errors.append({"message": "Must be between 800 and 2500", "property": "size.width"})
    elif not isinstance(height, int) or height < L.RICH_MENU_MIN_HEIGHT or width / height < L.RICH_MENU_MIN_RATIO:
        errors.append({"message": "Must be at least 250 and width/height at least 1.45", "property": "size.height"})
    if not isinstance(menu.get("selected"), bool):
        errors.append({"message": "must be specified", "property": "selected"})
    for key, limit in (("name", L.MAX_RICH_MENU_NAME), ("chatBarText", L.MAX_CHAT_BAR_TEXT)):
        value = menu.get(key)
        if not isinstance(value, str) or not value:
            errors.append({"message": "must be specified", "property": key})
        elif len(value) > limit:
            errors.append({"message": f"Length must be between 0 and {limit}", "property": key})
    areas = menu.get("areas")
    if not isinstance(areas, list) or len(areas) > L.MAX_RICH_MENU_AREAS:
        errors.append({"message": f"Size must be between 0 and {L.MAX_RICH_MENU_AREAS}", "property": "areas"})
        return errors
    for i, area in enumerate(areas):
        area = area if isinstance(area, dict) else {}
        bounds = area.get("bounds") if isinstance(area.get("bounds"), dict) else {}
        if not _inside(bounds, width, height):
            errors.append({"message": "must be inside the rich menu", "property": f"areas[{i}].bounds"})
        errors.extend(validate_rich_menu_action(f"areas[{i}].action", area.get("action")))
    return errors


def _inside(bounds: dict, width, height) -> bool:
    values = [bounds.get(k) for k in ("x", "y", "width", "height")]
    if not all(isinstance(v, int) and v >= 0 for v in values) or not isinstance(width, int):
        return False
    x, y, w, h = values
    return x + w <= width and y + h <= (height or 0)


def image_size(image: bytes) -> tuple[int, int] | None:
    """(width, height) read from a PNG IHDR or JPEG SOF header, or None if unreadable."""
    if image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) >= 24:
        return struct.unpack(">II", image[16:24])
    i = 2
    while image.startswith(b"\xff\xd8") and i + 9 <= len(image) and image[i] == 0xFF:
        marker, length = image[i + 1], struct.unpack(">H", image[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", image[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def _menu(rich_menu_id: str):
    menu = state().rich_menu(rich_menu_id)
    if menu is None:
        raise LineApiError(404, "Not found")
    return menu


@bp.post("/richmenu")
def create():
    """Create a rich menu → `{"richMenuId": …}`."""
    menu = json_body()
    details = validate_rich_menu(menu)
    if details:
        raise invalid_body(details)
    return jsonify({"richMenuId": state().add_rich_menu(menu)})


@bp.post("/richmenu/validate")
def validate():
    """Validate a rich menu object without creating it."""
    details = validate_rich_menu(json_body())
    if details:
        raise invalid_body(details)
    return jsonify({})


@bp.get("/richmenu/list")
def list_menus():
    """All rich menus."""
    menus = [{"richMenuId": m.rich_menu_id, **m.menu} for m in state().rich_menus()]
    return jsonify({"richmenus": menus})


@bp.get("/richmenu/<rich_menu_id>")
def get(rich_menu_id: str):
    """One rich menu object."""
    menu = _menu(rich_menu_id)
    return jsonify({"richMenuId": menu.rich_menu_id, **menu.menu})


@bp.delete("/richmenu/<rich_menu_id>")
def delete(rich_menu_id: str):
    """Delete a rich menu."""
    if not state().delete_rich_menu(rich_menu_id):
        raise LineApiError(404, "Not found")
    return jsonify({})


@bp.post("/richmenu/<rich_menu_id>/content")
def upload_image(rich_menu_id: str):
    """Upload the menu image: JPEG/PNG, ≤1 MB, the menu's size, once only."""
    menu = _menu(rich_menu_id)
    if request.mimetype not in L.RICH_MENU_IMAGE_TYPES:
        raise LineApiError(415, f"The content type, {request.mimetype or 'none'}, is not supported")
    image = request.get_data()
    if len(image) > L.MAX_RICH_MENU_IMAGE_BYTES:
        raise LineApiError(400, "The image size is not allowed for richmenu")
    if image_size(image) != (menu.menu["size"]["width"], menu.menu["size"]["height"]):
        raise LineApiError(400, "The image size is not allowed for richmenu")
    if not state().set_rich_menu_image(rich_menu_id, image, request.mimetype):
        raise LineApiError(400, "An image has already been uploaded to the richmenu")
    return jsonify({})


@bp.get("/richmenu/<rich_menu_id>/content")
def download_image(rich_menu_id: str):
    """Download the menu image."""
    menu = _menu(rich_menu_id)
    if menu.image is None:
        raise LineApiError(404, "Not found")
    return Response(menu.image, mimetype=menu.image_type)


@bp.post("/user/all/richmenu/<rich_menu_id>")
def set_default(rich_menu_id: str):
    """Show this menu to every user; the image must be uploaded first."""
    if _menu(rich_menu_id).image is None:
        raise LineApiError(400, "must upload richmenu image before applying it to user")
    state().set_default_rich_menu(rich_menu_id)
    return jsonify({})


@bp.get("/user/all/richmenu")
def get_default():
    """The default rich menu's id."""
    rich_menu_id = state().default_rich_menu_id
    if rich_menu_id is None:
        raise LineApiError(404, "no default richmenu")
    return jsonify({"richMenuId": rich_menu_id})


@bp.delete("/user/all/richmenu")
def clear_default():
    """Stop showing a default menu."""
    state().set_default_rich_menu(None)
    return jsonify({})
