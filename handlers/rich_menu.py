"""The shop's default rich menu: products, cart, orders, help (line-platform.md §6)."""
import logging

from linebot.v3.messaging import MessagingApi, MessagingApiBlob, RichMenuRequest

from models.pictures import RICH_MENU_SIZE, rich_menu_png
from models.texts import t

log = logging.getLogger(__name__)

# (label key, what tapping says): each area sends the same text a shopper could type.
AREAS = (("button_products", "say_products"), ("button_cart", "say_cart"),
         ("button_orders", "say_orders"), ("button_help", "say_help"))


def rich_menu_object(shop_name: str) -> dict:
    """Four equal areas across a 2500×843 menu, each a message action."""
    width, height = RICH_MENU_SIZE
    column = width // len(AREAS)
    areas = []
    for i, (label_key, say_key) in enumerate(AREAS):
        area_width = column if i < len(AREAS) - 1 else width - column * i
        areas.append({"bounds": {"x": i * column, "y": 0, "width": area_width, "height": height},
                      "action": {"type": "message", "label": t(label_key)[:20],
                                 "text": t(say_key)}})
    return {"size": {"width": width, "height": height}, "selected": True,
            "name": f"{shop_name} menu"[:300], "chatBarText": "選單 Menu", "areas": areas}


def menu_image() -> bytes:
    """The menu picture: zh-TW labels with the English ones beneath."""
    return rich_menu_png([(t(label_key), t(label_key, "en")) for label_key, _ in AREAS])


def setup_rich_menu(api_client, shop_name: str, timeout: float) -> str:
    """Create the menu, upload its image and make it every shopper's default; returns its id."""
    api = MessagingApi(api_client)
    created = api.create_rich_menu(RichMenuRequest.from_dict(rich_menu_object(shop_name)),
                                   _request_timeout=timeout)
    MessagingApiBlob(api_client).set_rich_menu_image(
        created.rich_menu_id, menu_image(), _headers={"Content-Type": "image/png"},
        _request_timeout=timeout)
    api.set_default_rich_menu(created.rich_menu_id, _request_timeout=timeout)
    log.info("event=rich_menu_set rich_menu_id=%s", created.rich_menu_id)
    return created.rich_menu_id
