"""The shop's default rich menu: products, cart, orders, help (line-platform.md §6)."""
import logging

from linebot.v3.messaging import MessagingApi, MessagingApiBlob, RichMenuRequest

from models.flex import NO_LINKS, Links
from models.pictures import RICH_MENU_SIZE, rich_menu_png
from models.texts import t

log = logging.getLogger(__name__)

# (label key, what tapping says): each area sends the same text a shopper could type.
AREAS = (("button_products", "say_products"), ("button_cart", "say_cart"),
         ("button_orders", "say_orders"), ("button_help", "say_help"))
# With the shop page set up, products and orders open it instead (paths under /liff/).
PAGE_AREAS = {"button_products": "", "button_orders": "orders"}


def _action(label_key: str, say_key: str, links: Links) -> dict:
    page = links.page(PAGE_AREAS[label_key]) if label_key in PAGE_AREAS else None
    if page:
        return {"type": "uri", "label": t(label_key)[:20], "uri": page}
    return {"type": "message", "label": t(label_key)[:20], "text": t(say_key)}


def rich_menu_object(shop_name: str, links: Links = NO_LINKS) -> dict:
    """Four equal areas across a 2500×843 menu: chat commands, or the shop page when set up."""
    width, height = RICH_MENU_SIZE
    column = width // len(AREAS)
    areas = []
    for i, (label_key, say_key) in enumerate(AREAS):
        area_width = column if i < len(AREAS) - 1 else width - column * i
        areas.append({"bounds": {"x": i * column, "y": 0, "width": area_width, "height": height},
                      "action": _action(label_key, say_key, links)})
    return {"size": {"width": width, "height": height}, "selected": True,
            "name": f"{shop_name} menu"[:300], "chatBarText": "選單 Menu", "areas": areas}


def menu_image() -> bytes:
    """The menu picture: zh-TW labels with the English ones beneath."""
    return rich_menu_png([(t(label_key), t(label_key, "en")) for label_key, _ in AREAS])


def setup_rich_menu(api_client, shop_name: str, timeout: float,
                    links: Links = NO_LINKS) -> str:
    """Create the menu, upload its image and make it every shopper's default; returns its id."""
    api = MessagingApi(api_client)
    created = api.create_rich_menu(RichMenuRequest.from_dict(rich_menu_object(shop_name, links)),
                                   _request_timeout=timeout)
    MessagingApiBlob(api_client).set_rich_menu_image(
        created.rich_menu_id, menu_image(), _headers={"Content-Type": "image/png"},
        _request_timeout=timeout)
    api.set_default_rich_menu(created.rich_menu_id, _request_timeout=timeout)
    log.info("event=rich_menu_set rich_menu_id=%s", created.rich_menu_id)
    return created.rich_menu_id
