"""models/recipient.py: delivery details, and the precise problem when they are wrong."""
import pytest

from models.errors import InvalidRecipient
from models.recipient import normalize_phone, parse_recipient
from models.records import Recipient


@pytest.mark.parametrize("phone, normalized", [
    ("0912345678", "0912345678"), ("0912-345-678", "0912345678"),
    ("(0912)345678", "0912345678"), ("+886 912 345 678", "0912345678"),
    ("+8860912345678", "0912345678"), ("886912345678", "0912345678"), ("02-2345-6789", "0223456789"),
])
def test_phone_numbers_are_normalised(phone, normalized):
    assert normalize_phone(phone) == normalized


def test_good_details_are_kept_tidy():
    assert parse_recipient(" 王小明 ", "0912-345-678", "台北市  信義區 市府路1號") == Recipient(
        "王小明", "0912345678", "台北市 信義區 市府路1號")


@pytest.mark.parametrize("name, phone, address, problem", [
    ("", "", "", "usage"), ("", "0912345678", "台北市信義區市府路1號", "name"),
    ("王小明", "0223456789", "台北市信義區市府路1號", "phone"),
    ("王小明", "09123", "台北市信義區市府路1號", "phone"), ("王小明", "0912345678", "台北", "address"),
])
def test_bad_details_name_the_first_problem(name, phone, address, problem):
    with pytest.raises(InvalidRecipient) as refused:
        parse_recipient(name, phone, address)
    assert refused.value.problem == problem and refused.value.text_key.endswith(problem)
