"""A shopper browses cards, adds to the cart and sees the cart card in the emulator's chat page."""
import json
import os
from pathlib import Path

import pytest

from handlers.rich_menu import setup_rich_menu
from models.catalog import parse_catalog
from services.catalog import import_catalog

ROOT = Path(__file__).resolve().parents[2]
# SAVE_SCREENSHOTS=1 refreshes the README's pictures in docs/screenshots/.
SAVE = os.environ.get("SAVE_SCREENSHOTS") == "1"

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(browser):
    return browser.new_page(viewport={"width": 420, "height": 820})


def test_product_carousel_and_cart_card_in_the_chat_page(make_shop, page, tmp_path):
    shop = make_shop(WORKER_THREADS=2)
    with open(ROOT / "data" / "demo_products.json", encoding="utf-8") as file:
        import_catalog(shop.rt.db, parse_catalog(json.load(file), base_url=shop.url))
    setup_rich_menu(shop.rt.messenger.api_client, "小舖", 3)
    uid = shop.shopper("小明")
    shop.line.webhook.send_follow(uid)
    shop.text(uid, "收件 王小明 0912345678 台北市信義區市府路1號")
    folder = ROOT / "docs" / "screenshots" if SAVE else tmp_path
    expect = sync_api.expect

    page.goto(f"{shop.line.url}/chat")
    page.get_by_test_id("chat-input").fill("商品")
    page.get_by_test_id("send-button").click()
    expect(page.get_by_test_id("flex-bubble").first).to_contain_text("NT$450")
    expect(page.get_by_test_id("quick-reply").first).to_be_visible()
    page.screenshot(path=folder / "chat-product-carousel.png")

    page.get_by_test_id("flex-button").first.click()
    expect(page.get_by_test_id("bubble-bot").last).to_contain_text("結帳下單")
    page.get_by_test_id("chat-input").fill("cart 2 1")
    page.get_by_test_id("send-button").click()
    expect(page.get_by_test_id("bubble-bot").last).to_contain_text("NT$680")
    expect(page.get_by_test_id("bubble-bot").last).to_contain_text("−NT$50")
    page.screenshot(path=folder / "chat-cart-card.png")
    assert shop.line.stats()["errors"] == 0
