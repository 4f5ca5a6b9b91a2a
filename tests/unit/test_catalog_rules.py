"""models/catalog.py: the one product rule shared by import-products and the back office."""
import pytest

from models.admin_errors import InvalidProduct
from models.catalog import parse_catalog, parse_product
from models.limits import MAX_ID
from models.records import Product

BASE = "http://127.0.0.1:8000"
GOOD = {"id": 1, "name": " 烏龍茶 ", "price": 450, "stock": 20}


@pytest.mark.parametrize("fields, expected", [
    (GOOD, Product(1, "烏龍茶", 450, 20)),
    ({**GOOD, "image_url": "https://x.tw/a.jpg", "description": "香", "active": False},
     Product(1, "烏龍茶", 450, 20, "https://x.tw/a.jpg", "香", active=False)),
    ({**GOOD, "image_url": "/static/products/1.png"},
     Product(1, "烏龍茶", 450, 20, f"{BASE}/static/products/1.png")),  # this app's own picture
    ({**GOOD, "image_url": ""}, Product(1, "烏龍茶", 450, 20)),
    ({**GOOD, "id": MAX_ID}, Product(MAX_ID, "烏龍茶", 450, 20)),
])
def test_a_good_product_is_read(fields, expected):
    assert parse_product(fields, base_url=BASE) == expected


@pytest.mark.parametrize("override, says", [
    ({"id": 0}, "positive"), ({"id": MAX_ID + 1}, "'id'"), ({"id": "1"}, "'id'"),
    ({"id": True}, "'id'"),
    ({"name": ""}, "name"), ({"name": "x" * 101}, "100"), ({"name": 5}, "name"),
    ({"price": -1}, "price"), ({"price": 10**7 + 1}, "price"), ({"price": 1.5}, "price"),
    ({"stock": 2**40}, "stock"), ({"id": 2**40}, "'id'"),
    ({"stock": "3"}, "stock"), ({"stock": -1}, "stock"),
    ({"image_url": "http://x.tw/a.jpg"}, "https://"),      # LINE shows only HTTPS pictures
    ({"image_url": "ftp://x"}, "https://"), ({"image_url": 7}, "https://"),
    ({"image_url": "https://x.tw/" + "a" * 1000}, "https://"),
    ({"description": 5}, "description"), ({"description": "x" * 2001}, "2000"),
])
def test_a_bad_field_is_named_and_refused(override, says):
    with pytest.raises(InvalidProduct) as refused:
        parse_product({**GOOD, **override}, base_url=BASE)
    assert says in refused.value.message


@pytest.mark.parametrize("fields, expected", [
    ({"id": "7", "name": "茶", "price": "680", "stock": "12", "active": True},
     Product(7, "茶", 680, 12)),
    ({"id": "7", "name": "茶", "price": "680", "stock": "", "active": False},
     Product(7, "茶", 680, 0, active=False)),                     # the form's stock is optional
])
def test_form_fields_are_read_as_text(fields, expected):
    assert parse_product(fields, from_text=True) == expected


@pytest.mark.parametrize("field, value", [
    ("price", "²"), ("id", "፩"), ("price", "１００"), ("stock", "²"), ("price", "9" * 20),
])
def test_only_ascii_digits_within_bounds_count_in_a_form(field, value):
    fields = {"id": "7", "name": "茶", "price": "680", "stock": "1", field: value}
    with pytest.raises(InvalidProduct):
        parse_product(fields, from_text=True)


@pytest.mark.parametrize("entries, says", [
    ({"id": 1}, "JSON array"),
    ([GOOD, "x"], "entry 2: must be an object"),
    ([GOOD, {**GOOD, "price": -1}], "entry 2: 價格"),
    ([GOOD, {**GOOD, "name": "紅茶"}], "entry 2: id 1 appears twice"),
])
def test_a_bad_catalog_names_the_entry(entries, says):
    with pytest.raises(InvalidProduct) as refused:
        parse_catalog(entries, BASE)
    assert says in refused.value.message


def test_a_catalog_is_read_in_order():
    assert [p.id for p in parse_catalog([GOOD, {**GOOD, "id": 2}], BASE)] == [1, 2]
