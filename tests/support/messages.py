"""Reading bot messages the way a shopper does: their text and what can be tapped."""


def message_text(message: dict) -> str:
    """Everything a shopper can read in one message (text, template, flex), flattened."""
    parts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("text", "title", "altText", "label"):
                if isinstance(node.get(key), str):
                    parts.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return "\n".join(parts)


def all_text(messages: list[dict]) -> str:
    return "\n".join(message_text(m) for m in messages)


def actions(message: dict) -> list[dict]:
    """Every tappable action in a message (buttons, quick replies, flex)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") in ("postback", "uri", "message") and "label" in node:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message)
    return found
