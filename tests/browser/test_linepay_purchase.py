"""A person buys with LINE Pay in the offline sandbox's chat page and is told it's paid (issue 16)."""
import pytest

from tests.support.chat_page import send, tap

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser
expect = sync_api.expect


def test_buy_with_linepay_in_the_chat_and_see_the_paid_message(sandbox_shop, browser, shot):
    page = browser.new_page(viewport={"width": 480, "height": 900})
    page.goto(sandbox_shop["chat_url"])
    bot = page.get_by_test_id("message-list")
    send(page, "收件 王小明 0912345678 台北市信義區市府路1號")
    expect(bot).to_contain_text("收件資料已儲存")
    send(page, "cart 1 2")
    expect(bot).to_contain_text("NT$900")
    send(page, "結帳")
    expect(bot).to_contain_text("請選擇付款方式")

    tap(page, "LINE Pay")
    expect(bot).to_contain_text("於 LINE Pay 完成付款")
    shot(page, "linepay-1-chat-button")
    with page.context.expect_page() as linepay_tab:
        tap(page, "前往 LINE Pay 付款")
    linepay = linepay_tab.value
    linepay.wait_for_load_state()
    expect(linepay.locator(".amount")).to_contain_text("900")
    shot(linepay, "linepay-2-emulator-page")
    linepay.get_by_role("button", name="付款 Approve").click()
    expect(linepay.get_by_test_id("payment-result")).to_contain_text("付款成功")
    assert linepay.url.startswith(f"{sandbox_shop['bot_url']}/linepay/confirm?")
    shot(linepay, "linepay-3-confirm-page")

    expect(bot).to_contain_text("已收到訂單 #1 的付款 NT$900")
    shot(page, "linepay-4-paid-in-chat")
    assert [t["state"] for t in sandbox_shop["linepay_state"].transaction_list()] == ["CONFIRMED"]


def test_buy_with_linepay_on_the_liff_page(sandbox_shop, browser, shot):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.goto(sandbox_shop["chat_url"])
    chat = page.get_by_test_id("message-list")
    page.get_by_test_id("richmenu-area").first.click()  # 商品 opens the shop page (LIFF)
    shop = page.frame_locator("[data-testid=liff-frame]")
    shop.get_by_test_id("add-1").click()
    shop.get_by_test_id("go-checkout").click()
    shop.get_by_test_id("input-name").fill("王小明")
    shop.get_by_test_id("input-phone").fill("0912345678")
    shop.get_by_test_id("input-address").fill("台北市信義區市府路1號")
    shop.get_by_test_id("pay-linepay").check()
    shop.get_by_test_id("place-order").click()
    expect(shop.get_by_test_id("order")).to_contain_text("訂單 #1")
    shot(page, "linepay-5-liff-order")

    with page.context.expect_page() as linepay_tab:
        shop.get_by_test_id("pay-linepay-page").click()
    linepay = linepay_tab.value
    linepay.wait_for_load_state()
    linepay.get_by_role("button", name="付款 Approve").click()
    expect(linepay.get_by_test_id("payment-result")).to_contain_text("付款成功")
    expect(shop.get_by_test_id("paid")).to_contain_text("已付款", timeout=15000)
    expect(chat).to_contain_text("已收到訂單 #1 的付款")
    shot(page, "linepay-6-liff-paid")
