"""The one reader of numbers people send: ASCII digits, within bounds, else None."""
import pytest

from models.limits import bounded, whole


@pytest.mark.parametrize("text, signed, expected", [
    ("12", False, 12), ("0", False, 0), ("+3", True, 3), ("-3", True, -3),
    ("+3", False, None), ("²", False, None), ("፩", False, None), ("١٢", False, None),
    ("１２", False, None), ("1e3", False, None), (" 1", False, None), ("1\n", False, None),
    ("", False, None), ("-", True, None), ("99999999999", False, None), ("101", False, None),
])
def test_whole_reads_only_ascii_digits_within_bounds(text, signed, expected):
    assert whole(text, -100, 100, signed=signed) == expected


@pytest.mark.parametrize("value, expected", [(5, 5), (True, None), (5.0, None), ("5", None),
                                             (2**40, None), (-101, None), (None, None)])
def test_bounded_takes_only_json_integers_within_bounds(value, expected):
    assert bounded(value, -100, 100) == expected
