"""In headless Chromium: the owner announces to a segment, and its shoppers see it in the chat."""
from pathlib import Path

import pytest

from tests.support.admin import create_owner, log_in_page

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NEWS = "🍵 新品上架：凍頂烏龍，購物車裡有商品的您本週九折！"

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")


def test_the_owner_announces_to_shoppers_with_a_cart_and_only_they_see_it(make_shop, browser):
    shop = make_shop(WORKER_THREADS=2)
    create_owner(shop.app)
    shop.add_product(1, name="凍頂烏龍", price=450, stock=8)
    ming, hua = shop.shopper("小明"), shop.shopper("小華")
    for user in (ming, hua):
        shop.follow(user)
    shop.text(ming, "cart 1 1")
    shop.line.quota.limit, shop.line.quota.used = 1000, 120
    expect = sync_api.expect
    owner = browser.new_page(viewport={"width": 1200, "height": 900})
    chat = browser.new_page(viewport={"width": 480, "height": 900})

    log_in_page(owner, f"{shop.url}/admin/announcements")
    owner.get_by_role("link", name="＋ 新增公告").click()
    owner.get_by_label("公告內容").fill(NEWS)
    owner.get_by_label("#1 凍頂烏龍").check()
    owner.get_by_label("發送對象").select_option("cart")
    owner.get_by_role("button", name="預覽").click()
    expect(owner.get_by_test_id("recipients")).to_have_text("1")
    expect(owner.get_by_test_id("chat-preview")).to_contain_text("凍頂烏龍")
    owner.screenshot(path=DOCS / "admin-announcement-preview.png", full_page=True)
    owner.get_by_role("button", name="發送給 1 位顧客").click()
    expect(owner.get_by_test_id("announcement-status")).to_have_text("已送出 Sent")
    expect(owner.get_by_test_id("progress")).to_have_text("1 / 1")
    owner.screenshot(path=DOCS / "admin-announcement-sent.png", full_page=True)

    chat.goto(f"{shop.line.url}/chat")
    chat.get_by_test_id("user-switcher").select_option(ming)
    expect(chat.get_by_test_id("message-list")).to_contain_text(NEWS)
    expect(chat.get_by_test_id("message-list")).to_contain_text("凍頂烏龍")
    chat.screenshot(path=DOCS / "chat-announcement.png")
    chat.get_by_test_id("user-switcher").select_option(hua)
    expect(chat.get_by_test_id("message-list")).to_contain_text("歡迎")
    expect(chat.get_by_test_id("message-list")).not_to_contain_text(NEWS)

    owner.get_by_role("link", name="總覽").click()
    expect(owner.get_by_test_id("quota-used")).to_have_text("121 / 1,000")
    owner.get_by_test_id("quota").screenshot(path=DOCS / "admin-dashboard-quota.png")
