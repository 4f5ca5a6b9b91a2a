"""Bounds on every number a person or a script sends us, and the one way to read one."""
import re

MAX_ID = 2**31 - 1  # any id a person or a button sends: a PostgreSQL integer
MAX_UNITS = 9_999_999  # stock on hand, a stock change, a typed quantity: 7 digits
MAX_PRICE = 10**7  # NT$ per unit
MAX_PAGE = 10**6

# ASCII digits only: str.isdigit also takes "²" or "፩", which int() then refuses.
WHOLE = re.compile(r"[+-]?[0-9]{1,10}")


def whole(text: str, low: int, high: int, *, signed: bool = False) -> int | None:
    """`text` as an int within [low, high], or None when it is anything else."""
    if not isinstance(text, str) or not WHOLE.fullmatch(text):
        return None
    if text[0] in "+-" and not signed:
        return None
    value = int(text)
    return value if low <= value <= high else None


def bounded(value, low: int, high: int) -> int | None:
    """A JSON number (never a bool or float) within [low, high], or None."""
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return None
    return value
