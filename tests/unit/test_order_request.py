"""The posted order is checked as a whole: every bad field is named, nothing else is trusted."""
import pytest

from models.errors import InvalidOrderRequest
from models.order_request import (LineStatus, OrderRequest, RequestedLine, line_statuses,
                                  parse_order_request)
from models.records import Product, Recipient

RECIPIENT = {"name": "王小明", "phone": "0912-345-678", "address": "台北市信義區市府路1號"}


def problems(body, **kwargs) -> dict:
    with pytest.raises(InvalidOrderRequest) as raised:
        parse_order_request(body, **kwargs)
    return raised.value.fields


def test_a_good_order_becomes_lines_and_a_recipient():
    parsed = parse_order_request({"products": [{"product_id": 1, "count": 5},
                                               {"product_id": 2, "count": 1}],
                                  "recipient": RECIPIENT})
    assert parsed == OrderRequest((RequestedLine(1, 5), RequestedLine(2, 1)),
                                  Recipient("王小明", "0912345678", "台北市信義區市府路1號"))


def test_recipient_may_be_left_out_only_when_one_is_saved():
    assert parse_order_request({"products": [{"product_id": 1, "count": 1}]},
                               recipient_saved=True).recipient is None
    assert problems({"products": [{"product_id": 1, "count": 1}]}) == {"recipient": "必填"}


@pytest.mark.parametrize("value", ["1", 1.0, 1.5, True, False, 0, -3, None, [1], {"n": 1}, 1000])
def test_count_must_be_a_positive_json_integer(value):
    fields = problems({"products": [{"product_id": 1, "count": 2},
                                    {"product_id": 2, "count": value}], "recipient": RECIPIENT})
    assert list(fields) == ["products[1].count"]


@pytest.mark.parametrize("value", ["7", 7.0, True, 0, -1, 2**31, None])
def test_product_id_must_be_a_positive_json_integer(value):
    fields = problems({"products": [{"product_id": value, "count": 1}], "recipient": RECIPIENT})
    assert list(fields) == ["products[0].product_id"]


@pytest.mark.parametrize("products", [None, [], "1,2", {"product_id": 1}, [{"product_id": 1, "count": 1}] * 0,
                                      [{"product_id": i, "count": 1} for i in range(1, 102)]])
def test_products_must_be_a_list_of_one_to_a_hundred(products):
    assert "products" in problems({"products": products, "recipient": RECIPIENT})


def test_a_hundred_lines_are_accepted():
    parsed = parse_order_request({"products": [{"product_id": i, "count": 1} for i in range(1, 101)],
                                  "recipient": RECIPIENT})
    assert len(parsed.lines) == 100


def test_every_problem_is_named_not_just_the_first():
    fields = problems({"products": [{"product_id": 1, "count": 1}, {"count": "2"}, "x",
                                    {"product_id": 1, "count": 1}],
                       "recipient": {"name": " ", "phone": "12345", "address": "台北"}})
    assert fields == {
        "products[1].product_id": "必填",
        "products[1].count": "數量須為 1 到 999 的整數",
        "products[2]": "格式不對（須為物件）",
        "products[3].product_id": "同一商品只能出現一次",
        "recipient.name": "必填",
        "recipient.phone": "請填 09 開頭的 10 位數手機號碼，例如 0912345678",
        "recipient.address": "須為 5 到 200 個字",
    }


def test_problems_are_told_in_english_for_english_speakers():
    fields = problems({"products": [{"product_id": 1, "count": 0}]}, language="en")
    assert fields == {"products[0].count": "Must be a whole number from 1 to 999",
                      "recipient": "Required"}


@pytest.mark.parametrize("phone", ["0812345678", "091234567", "09123456789", "+886912345678", 912345678, None])
def test_phone_must_be_a_taiwan_mobile(phone):
    fields = problems({"products": [{"product_id": 1, "count": 1}],
                       "recipient": {**RECIPIENT, "phone": phone}})
    assert list(fields) == ["recipient.phone"]


def test_name_and_address_are_bounded():
    fields = problems({"products": [{"product_id": 1, "count": 1}],
                       "recipient": {**RECIPIENT, "name": "名" * 51, "address": "路" * 201}})
    assert list(fields) == ["recipient.name", "recipient.address"]


@pytest.mark.parametrize("body", [None, [], "order", 3])
def test_a_body_that_is_not_an_object_is_named(body):
    assert list(problems(body)) == ["body"]


def test_a_recipient_that_is_not_an_object_is_named():
    assert list(problems({"products": [{"product_id": 1, "count": 1}], "recipient": "me"})) == ["recipient"]


def test_each_line_says_whether_the_shop_can_cover_it():
    tea = Product(1, "烏龍茶", 450, 2)
    hidden = Product(3, "停售品", 100, 9, active=False)
    lines = (RequestedLine(1, 2), RequestedLine(3, 1), RequestedLine(9, 1))
    assert line_statuses(lines, [tea, hidden]) == [
        LineStatus(1, "烏龍茶", 2, True, 900), LineStatus(3, None, 1, False, 0),
        LineStatus(9, None, 1, False, 0)]
    # A line another order reserved first is short even if the stock read said enough.
    assert not line_statuses(lines[:1], [tea], frozenset({1}))[0].have_stock
