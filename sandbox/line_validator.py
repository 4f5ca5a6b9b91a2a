"""Server-side message validation that line-bot-sdk 3.27 does not do (line-platform.md §3.6).

`validate_messages` is pure: it takes the JSON the bot sends (camelCase dicts) and returns LINE's
400 `details` list, empty when the messages are valid. Labels, titles and template texts are
counted by LINE in grapheme clusters; this module approximates them with code points, which only
differs for combined emoji and combining marks.
"""

import json

from sandbox import line_limits as L

def validate_messages(messages: list[dict]) -> list[dict]:
    """Return LINE-style error details (`{message, property}`) for a `messages` array."""
    errors: list[dict] = []
    if not isinstance(messages, list) or not L.MIN_MESSAGES <= len(messages) <= L.MAX_MESSAGES:
        _err(errors, "messages", f"Size must be between {L.MIN_MESSAGES} and {L.MAX_MESSAGES}")
        return errors
    for i, message in enumerate(messages):
        _message(errors, f"messages[{i}]", message)
    return errors


def utf16_length(text: str) -> int:
    """Length as LINE counts message text: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le")) // 2


def _err(errors: list[dict], prop: str, message: str) -> None:
    errors.append({"message": message, "property": prop})


def _text(errors, prop, value, limit, *, required=True, utf16=False) -> None:
    """Check a string property: present (if required), a string, not longer than `limit`."""
    if value is None or value == "":
        if required:
            _err(errors, prop, "May not be empty")
        return
    if not isinstance(value, str):
        _err(errors, prop, "Must be a string")
        return
    length = utf16_length(value) if utf16 else len(value)
    if length > limit:
        _err(errors, prop, f"Length must be between 0 and {limit}")


def _size(errors, prop, value, low, high) -> bool:
    """Check an array property's length; False when it is not a usable list."""
    if not isinstance(value, list):
        _err(errors, prop, "May not be empty" if value is None else "Must be an array")
        return False
    if not low <= len(value) <= high:
        _err(errors, prop, f"Size must be between {low} and {high}")
    return True


def _url(errors, prop, value, *, required=True) -> None:
    _text(errors, prop, value, L.MAX_URL_LENGTH, required=required)
    if isinstance(value, str) and value and not value.startswith("https://"):
        _err(errors, prop, "Must be an HTTPS URL")


def _message(errors: list[dict], prop: str, message) -> None:
    if not isinstance(message, dict):
        _err(errors, prop, "Must be an object")
        return
    kind = message.get("type")
    if kind not in L.MESSAGE_TYPES:
        _err(errors, f"{prop}.type", f"Must be one of the following values: [{', '.join(L.MESSAGE_TYPES)}]")
        return
    if kind == "text":
        _text(errors, f"{prop}.text", message.get("text"), L.MAX_TEXT_UTF16, utf16=True)
    elif kind == "image":
        _url(errors, f"{prop}.originalContentUrl", message.get("originalContentUrl"))
        _url(errors, f"{prop}.previewImageUrl", message.get("previewImageUrl"))
    elif kind == "sticker":
        for key in ("packageId", "stickerId"):
            _text(errors, f"{prop}.{key}", message.get(key), 100)
    elif kind == "template":
        _text(errors, f"{prop}.altText", message.get("altText"), L.MAX_ALT_TEXT, utf16=True)
        _template(errors, f"{prop}.template", message.get("template"))
    else:
        _text(errors, f"{prop}.altText", message.get("altText"), L.MAX_ALT_TEXT, utf16=True)
        _flex_container(errors, f"{prop}.contents", message.get("contents"))
    if message.get("quickReply") is not None:
        _quick_reply(errors, f"{prop}.quickReply", message["quickReply"])


def _quick_reply(errors, prop, quick_reply) -> None:
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not _size(errors, f"{prop}.items", items, 1, L.MAX_QUICK_REPLY_ITEMS):
        return
    for i, item in enumerate(items):
        item_prop = f"{prop}.items[{i}]"
        if not isinstance(item, dict) or item.get("type", "action") != "action":
            _err(errors, f"{item_prop}.type", "Must be one of the following values: [action]")
            continue
        if item.get("imageUrl") is not None:
            _url(errors, f"{item_prop}.imageUrl", item["imageUrl"])
        action = item.get("action")
        if isinstance(action, dict) and action.get("type") not in L.QUICK_REPLY_ACTION_TYPES:
            _err(errors, f"{item_prop}.action.type", "This action type is not allowed in a quick reply")
            continue
        _action(errors, f"{item_prop}.action", action, label_limit=L.MAX_LABEL)


def _action(errors, prop, action, *, label_limit: int, label_required: bool = True) -> None:
    """Check one action object (§3.4); `label_limit` depends on where the action sits."""
    if not isinstance(action, dict):
        _err(errors, prop, "May not be empty")
        return
    kind = action.get("type")
    if kind not in L.ACTION_TYPES:
        _err(errors, f"{prop}.type", f"Must be one of the following values: [{', '.join(sorted(L.ACTION_TYPES))}]")
        return
    _text(errors, f"{prop}.label", action.get("label"), label_limit, required=label_required)
    if kind in ("postback", "datetimepicker", "richmenuswitch"):
        _text(errors, f"{prop}.data", action.get("data"), L.MAX_ACTION_DATA)
    if kind == "postback":
        for key in ("displayText", "text", "fillInText"):
            _text(errors, f"{prop}.{key}", action.get(key), L.MAX_ACTION_TEXT, required=False)
        if action.get("displayText") and action.get("text"):
            _err(errors, f"{prop}.displayText", "displayText and text cannot be used together")
    elif kind == "message":
        _text(errors, f"{prop}.text", action.get("text"), L.MAX_ACTION_TEXT)
    elif kind == "uri":
        _uri(errors, f"{prop}.uri", action.get("uri"))
    elif kind == "datetimepicker" and action.get("mode") not in L.DATETIME_MODES:
        _err(errors, f"{prop}.mode", "Must be one of the following values: [date, time, datetime]")


def _uri(errors, prop, uri) -> None:
    _text(errors, prop, uri, L.MAX_URI)
    if isinstance(uri, str) and uri and not uri.startswith(L.URI_SCHEMES):
        _err(errors, prop, "invalid uri")


def _template(errors, prop, template) -> None:
    if not isinstance(template, dict):
        _err(errors, prop, "May not be empty")
        return
    kind = template.get("type")
    if kind == "buttons":
        _buttons(errors, prop, template)
    elif kind == "confirm":
        _text(errors, f"{prop}.text", template.get("text"), L.MAX_CONFIRM_TEXT)
        _actions(errors, f"{prop}.actions", template.get("actions"), L.CONFIRM_ACTIONS, L.CONFIRM_ACTIONS)
    elif kind == "carousel":
        _carousel(errors, prop, template)
    elif kind == "image_carousel":
        columns = template.get("columns")
        if _size(errors, f"{prop}.columns", columns, 1, L.MAX_CAROUSEL_COLUMNS):
            for i, column in enumerate(columns):
                column = column if isinstance(column, dict) else {}
                _url(errors, f"{prop}.columns[{i}].imageUrl", column.get("imageUrl"))
                _action(errors, f"{prop}.columns[{i}].action", column.get("action"),
                        label_limit=L.MAX_IMAGE_CAROUSEL_LABEL, label_required=False)
    else:
        _err(errors, f"{prop}.type",
             "Must be one of the following values: [buttons, confirm, carousel, image_carousel]")


def _actions(errors, prop, actions, low, high) -> None:
    if _size(errors, prop, actions, low, high):
        for i, action in enumerate(actions):
            _action(errors, f"{prop}[{i}]", action, label_limit=L.MAX_LABEL)


def _buttons(errors, prop, template) -> None:
    has_image_or_title = bool(template.get("thumbnailImageUrl") or template.get("title"))
    if template.get("thumbnailImageUrl") is not None:
        _url(errors, f"{prop}.thumbnailImageUrl", template["thumbnailImageUrl"])
    _text(errors, f"{prop}.title", template.get("title"), L.MAX_TEMPLATE_TITLE, required=False)
    limit = L.MAX_BUTTONS_TEXT_WITH_IMAGE_OR_TITLE if has_image_or_title else L.MAX_BUTTONS_TEXT
    _text(errors, f"{prop}.text", template.get("text"), limit)
    if template.get("defaultAction") is not None:
        _action(errors, f"{prop}.defaultAction", template["defaultAction"],
                label_limit=L.MAX_LABEL, label_required=False)
    _actions(errors, f"{prop}.actions", template.get("actions"), 1, L.MAX_BUTTONS_ACTIONS)


def _carousel(errors, prop, template) -> None:
    columns = template.get("columns")
    if not _size(errors, f"{prop}.columns", columns, 1, L.MAX_CAROUSEL_COLUMNS):
        return
    action_counts = set()
    for i, column in enumerate(columns):
        col_prop = f"{prop}.columns[{i}]"
        column = column if isinstance(column, dict) else {}
        has_image_or_title = bool(column.get("thumbnailImageUrl") or column.get("title"))
        if column.get("thumbnailImageUrl") is not None:
            _url(errors, f"{col_prop}.thumbnailImageUrl", column["thumbnailImageUrl"])
        _text(errors, f"{col_prop}.title", column.get("title"), L.MAX_TEMPLATE_TITLE, required=False)
        limit = L.MAX_CAROUSEL_TEXT_WITH_IMAGE_OR_TITLE if has_image_or_title else L.MAX_CAROUSEL_TEXT
        _text(errors, f"{col_prop}.text", column.get("text"), limit)
        _actions(errors, f"{col_prop}.actions", column.get("actions"), 1, L.MAX_CAROUSEL_ACTIONS)
        if isinstance(column.get("actions"), list):
            action_counts.add(len(column["actions"]))
    if len(action_counts) > 1:
        _err(errors, f"{prop}.columns", "All columns must have the same number of actions")


def _json_bytes(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _flex_container(errors, prop, container) -> None:
    if not isinstance(container, dict):
        _err(errors, prop, "May not be empty")
        return
    kind = container.get("type")
    if kind == "bubble":
        _bubble(errors, prop, container)
    elif kind == "carousel":
        bubbles = container.get("contents")
        if not _size(errors, f"{prop}.contents", bubbles, 1, L.MAX_CAROUSEL_BUBBLES):
            return
        if _json_bytes(container) > L.MAX_CAROUSEL_BYTES:
            _err(errors, prop, f"The size of the carousel must be {L.MAX_CAROUSEL_BYTES} bytes or less")
        for i, bubble in enumerate(bubbles):
            if isinstance(bubble, dict) and bubble.get("type") == "bubble":
                _bubble(errors, f"{prop}.contents[{i}]", bubble)
            else:
                _err(errors, f"{prop}.contents[{i}].type", "Must be one of the following values: [bubble]")
    else:
        _err(errors, f"{prop}.type", "Must be one of the following values: [bubble, carousel]")


def _bubble(errors, prop, bubble) -> None:
    if _json_bytes(bubble) > L.MAX_BUBBLE_BYTES:
        _err(errors, prop, f"The size of the bubble must be {L.MAX_BUBBLE_BYTES} bytes or less")
    for block in L.BUBBLE_BLOCKS:
        if bubble.get(block) is not None:
            allowed = ("box", "image", "video") if block == "hero" else ("box",)
            _component(errors, f"{prop}.{block}", bubble[block], allowed)
    if bubble.get("action") is not None:
        _action(errors, f"{prop}.action", bubble["action"], label_limit=L.MAX_FLEX_LABEL, label_required=False)


def _component(errors, prop, component, allowed=tuple(L.FLEX_COMPONENT_TYPES)) -> None:
    """Check one Flex component and, for boxes, its children (§3.5)."""
    if not isinstance(component, dict):
        _err(errors, prop, "Must be an object")
        return
    kind = component.get("type")
    if kind not in L.FLEX_COMPONENT_TYPES or kind not in allowed:
        _err(errors, f"{prop}.type", f"Must be one of the following values: [{', '.join(sorted(allowed))}]")
        return
    if kind == "box":
        _box(errors, prop, component)
    elif kind == "text" and not component.get("text") and not component.get("contents"):
        _err(errors, f"{prop}.text", "May not be empty")
    elif kind in ("image", "icon"):
        _url(errors, f"{prop}.url", component.get("url"))
    elif kind == "button":
        _action(errors, f"{prop}.action", component.get("action"), label_limit=L.MAX_FLEX_LABEL)
    elif kind == "span":
        _text(errors, f"{prop}.text", component.get("text"), L.MAX_TEXT_UTF16, utf16=True)
    if kind != "button" and component.get("action") is not None:
        _action(errors, f"{prop}.action", component["action"], label_limit=L.MAX_FLEX_LABEL, label_required=False)
    if kind == "text" and isinstance(component.get("contents"), list):
        for i, span in enumerate(component["contents"]):
            _component(errors, f"{prop}.contents[{i}]", span, ("span",))


def _box(errors, prop, box) -> None:
    layout = box.get("layout")
    if layout not in L.BOX_LAYOUTS:
        _err(errors, f"{prop}.layout", "Must be one of the following values: [horizontal, vertical, baseline]")
    children = box.get("contents")
    if not isinstance(children, list):
        _err(errors, f"{prop}.contents", "May not be empty")
        return
    allowed = L.BASELINE_CHILD_TYPES if layout == "baseline" else L.FLEX_COMPONENT_TYPES - {"span"}
    for i, child in enumerate(children):
        _component(errors, f"{prop}.contents[{i}]", child, tuple(sorted(allowed)))


def validate_rich_menu_action(prop: str, action) -> list[dict]:
    """Details for a rich menu area's action (label optional, ≤20)."""
    errors: list[dict] = []
    _action(errors, prop, action, label_limit=L.MAX_LABEL, label_required=False)
    return errors
