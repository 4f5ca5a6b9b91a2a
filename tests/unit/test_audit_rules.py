"""The audit trail's pure rules: which fields changed, how an edit is named, page bounds."""
import pytest

from models.audit import (PRODUCT_HIDDEN, PRODUCT_SHOWN, PRODUCT_UPDATED, bounded_page,
                          changed_fields, product_edit_action)


def test_only_changed_fields_are_kept_on_both_sides():
    before = {"name": "烏龍茶", "price": 100, "image_url": None}
    after = {"name": "烏龍茶", "price": 120, "image_url": "https://img.tw/a.jpg"}
    assert changed_fields(before, after) == (
        {"price": 100, "image_url": None}, {"price": 120, "image_url": "https://img.tw/a.jpg"})
    assert changed_fields(after, after) == ({}, {})


@pytest.mark.parametrize("was, now, action", [
    (True, True, PRODUCT_UPDATED), (False, False, PRODUCT_UPDATED),
    (True, False, PRODUCT_HIDDEN), (False, True, PRODUCT_SHOWN)])
def test_an_edit_that_flips_visibility_is_named_for_it(was, now, action):
    assert product_edit_action(was, now) == action


@pytest.mark.parametrize("raw, page", [
    (None, 1), ("", 1), (" 2 ", 2), ("7", 7), ("8", 7), ("0", 1), ("-1", 1), ("abc", 1),
    ("2.0", 1), ("01", 1), ("000", 1), ("0" * 50 + "3", 3), ("٣", 1), ("99999999999999999999", 7), ("9" * 10_000, 7)])
def test_a_page_number_is_always_one_of_the_pages(raw, page):
    assert bounded_page(raw, 7) == page
