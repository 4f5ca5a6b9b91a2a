"""The shipping list's CSV building, with no database."""
import csv
import io
from datetime import datetime, timezone

import pytest

from models.shipping_list import items_text, neutralise, shipping_csv


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+886912", "'+886912"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("王小明", "王小明"), ("a=b", "a=b"), ("", ""), (12, 12),
])
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, expected):
    assert neutralise(cell) == expected


def test_items_read_as_name_times_quantity():
    assert items_text([{"name": "烏龍", "quantity": 2}, {"name": "紅茶", "quantity": 1}]) == \
        "烏龍 ×2; 紅茶 ×1"


def test_the_csv_starts_with_a_bom_and_shows_taipei_time_and_an_unpaid_dash():
    text = shipping_csv([{"id": 7, "created_at": datetime(2025, 3, 1, 16, 5, tzinfo=timezone.utc),
                          "status": "expired", "recipient_name": None, "recipient_phone": None,
                          "recipient_address": None, "total": 90, "paid_by": None,
                          "items": [{"name": "綠茶", "quantity": 3}]}])
    assert text.startswith("\ufeff訂單編號,")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1] == ["7", "2025-03-02 00:05", "已逾期", "", "", "", "綠茶 ×3", "90", "—"]
