"""handlers/chat_commands.py and handlers/postbacks.py: any text or data becomes one command."""
import pytest
from hypothesis import given, strategies as st

from handlers import chat_commands as cmd
from handlers import postbacks as pb


@pytest.mark.parametrize("text, command", [
    ("商品", cmd.ShowProducts()), ("Products", cmd.ShowProducts()), ("menu", cmd.ShowProducts()),
    ("購物車", cmd.ShowCart()), ("  cart ", cmd.ShowCart()),
    ("結帳", cmd.Checkout()), ("checkout", cmd.Checkout()),
    ("訂單", cmd.ShowOrders()), ("說明", cmd.Help()), ("？", cmd.Help()),
    ("cart 1 2", cmd.ChangeCart(1, 2, relative=False)),
    ("cart 1 +2", cmd.ChangeCart(1, 2, relative=True)),
    ("cart 12 -1", cmd.ChangeCart(12, -1, relative=True)),
    ("購物車 3 0", cmd.ChangeCart(3, 0, relative=False)),
    ("ｃａｒｔ　１　＋２", cmd.ChangeCart(1, 2, relative=True)),  # full-width, folded by NFKC
    ("CART 1 2", cmd.ChangeCart(1, 2, relative=False)),
    ("cart 2147483647 1", cmd.ChangeCart(2147483647, 1, relative=False)),
    ("cart 1", cmd.Malformed("cart_usage")),
    ("cart x 2", cmd.Malformed("cart_usage")),
    ("cart 1 two", cmd.Malformed("cart_usage")),
    ("cart 1 10000000", cmd.Malformed("cart_usage")),      # over 7 digits
    ("cart 2147483648 1", cmd.Malformed("cart_usage")),
    ("cart 1 2 3", cmd.Malformed("cart_usage")),
    ("收件 王小明 0912345678 台北市信義區市府路1號",
     cmd.SetRecipient("王小明", "0912345678", "台北市信義區市府路1號")),
    ("address Amy Lee 0912-345-678 No. 1, Shifu Rd",
     cmd.SetRecipient("Amy Lee", "0912-345-678", "No. 1, Shifu Rd")),
    ("收件", cmd.SetRecipient("", "", "")),
    ("你好", cmd.Unknown("你好")),
    ("a\x00b", cmd.Unknown("ab")),
    ("x" * 100, cmd.Unknown("x" * 30)),
])
def test_a_text_becomes_its_command(text, command):
    assert cmd.parse(text) == command


@given(st.text(max_size=200))
def test_any_text_parses_without_raising(text):
    assert cmd.parse(text) is not None


@pytest.mark.parametrize("data, command", [
    ("action=buy", cmd.Checkout()), ("action=cart", cmd.ShowCart()),
    ("action=orders", cmd.ShowOrders()), ("action=products", cmd.ShowProducts(1)),
    ("action=products&page=3", cmd.ShowProducts(3)),
    ("action=detail&product=7", pb.ShowProduct(7)),
    ("action=pay&order=9&method=atm", pb.Pay(9, "atm")),
    ("action=pay&order=9&method=card", pb.Pay(9, "card")),
    ("action=cancel&order=9", pb.CancelOrder(9)),
    ("action=add&product=2", cmd.ChangeCart(2, 1, relative=True)),
    ("action=inc&product=2", cmd.ChangeCart(2, 1, relative=True)),
    ("action=dec&product=2", cmd.ChangeCart(2, -1, relative=True)),
    ("action=remove&product=2", cmd.ChangeCart(2, 0, relative=False)),
    ("", pb.BadPostback()), ("action=nope", pb.BadPostback()),
    # Any method name parses; whether it is offered is the providers' say (line_events).
    ("action=pay&order=9&method=cash", pb.Pay(9, "cash")),
    ("action=pay&order=9&method=Cash%21", pb.BadPostback()),
    ("action=pay&order=0&method=atm", pb.BadPostback()),
    ("action=pay&order=2147483648&method=atm", pb.BadPostback()),
    ("action=cancel&order=-1", pb.BadPostback()),
    ("action=cancel&order=1&order=2", pb.BadPostback()),
    ("action=detail", pb.BadPostback()),
    ("a=1&b=2&c=3&d=4&e=5&f=6", pb.BadPostback()),
    ("%zz", pb.BadPostback()),
])
def test_postback_data_becomes_its_command(data, command):
    assert pb.parse(data) == command


@given(st.text(max_size=300))
def test_any_postback_data_parses_without_raising(data):
    assert pb.parse(data) is not None
