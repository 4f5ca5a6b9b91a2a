"""Cards and the rich menu open the shop page (LIFF) when it is set up; pictures need https."""
from handlers.rich_menu import rich_menu_object
from models import flex, messages
from models.records import Product
from sandbox.line_validator import validate_messages
from tests.support.messages import actions

TEA = Product(id=7, name="烏龍茶", price=450, stock=3, image_url="http://127.0.0.1:8000/static/products/7.png")
LIFF = flex.Links(liff_id="2000000000-AbcdEfgh")


def test_details_open_the_shop_page_when_liff_is_set_up():
    card = messages.product_list([TEA], 1, "zh-TW", LIFF)[0]
    uris = [a["uri"] for a in actions(card) if a["type"] == "uri"]
    assert uris == ["https://liff.line.me/2000000000-AbcdEfgh/products/7"]
    assert not validate_messages([card])


def test_without_liff_details_stay_in_the_chat():
    card = messages.product_list([TEA], 1, "zh-TW")[0]
    assert [a["data"] for a in actions(card) if a["type"] == "postback"] == [
        "action=add&product=7", "action=detail&product=7"]


def test_http_pictures_are_left_out_unless_the_sandbox_allows_them():
    plain = flex.product_bubble(TEA, "zh-TW")
    sandbox = flex.product_bubble(TEA, "zh-TW", flex.Links(http_images=True))
    assert "hero" not in plain
    assert sandbox["hero"]["url"] == TEA.image_url


def test_the_rich_menu_opens_the_shop_page_for_products_and_orders():
    areas = rich_menu_object("小舖", LIFF)["areas"]
    assert [a["action"].get("uri") or a["action"]["text"] for a in areas] == [
        "https://liff.line.me/2000000000-AbcdEfgh", "購物車",
        "https://liff.line.me/2000000000-AbcdEfgh/orders", "說明"]
    assert [a["action"]["type"] for a in rich_menu_object("小舖")["areas"]] == ["message"] * 4
