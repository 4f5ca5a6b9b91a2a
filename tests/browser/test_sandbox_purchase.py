"""A person buys in the offline sandbox's chat page, by card and by ATM, and is told it's paid."""
import re

import pytest

from tests.support.chat_page import send, tap

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser
expect = sync_api.expect


def test_buy_by_card_then_by_atm_in_the_browser(sandbox_shop, browser, shot):
    page = browser.new_page(viewport={"width": 480, "height": 900})
    page.goto(sandbox_shop["chat_url"])
    bot = page.get_by_test_id("message-list")

    send(page, "商品")
    expect(bot).to_contain_text("阿里山高山烏龍茶")
    shot(page, "sandbox-1-products")

    send(page, "cart 1 2")
    expect(bot).to_contain_text("NT$900")
    shot(page, "sandbox-2-cart")

    tap(page, "結帳下單")
    expect(bot).to_contain_text("結帳前請先留下收件資料")
    send(page, "收件 王小明 0912345678 台北市信義區市府路1號")
    expect(bot).to_contain_text("收件資料已儲存")
    send(page, "結帳")
    expect(bot).to_contain_text("請選擇付款方式")
    shot(page, "sandbox-3-order")

    tap(page, "信用卡")
    expect(bot).to_contain_text("信用卡付款")
    shot(page, "sandbox-4-card-link")

    with page.context.expect_page() as card_tab:
        tap(page, "前往信用卡付款")
    card = card_tab.value
    card.wait_for_load_state()
    expect(card.locator(".amount")).to_contain_text("900")
    shot(card, "sandbox-5-bank-card-page")
    card.get_by_role("button", name="付款").click()
    expect(card.get_by_test_id("payment-result")).to_contain_text("付款成功")
    shot(card, "sandbox-6-return-page")

    expect(bot).to_contain_text("已收到訂單 #1 的付款 NT$900")
    shot(page, "sandbox-7-paid-by-card")

    send(page, "cart 2 1")
    send(page, "結帳")
    expect(bot).to_contain_text("訂單 #2")
    tap(page, "ATM")
    expect(bot).to_contain_text("虛擬帳號")
    account = re.search(r"虛擬帳號：(\d{14})", bot.inner_text()).group(1)
    shot(page, "sandbox-8-atm-account")

    atm = browser.new_page()
    atm.goto(f"{sandbox_shop['bank_url']}/atm/transfer")
    atm.locator("input[name=AtmPayNo]").fill(account)
    atm.get_by_role("button", name="轉帳").click()
    # The click submits a form: wait for the bank's answer page, or the shot races the load.
    expect(atm.locator(".result")).to_contain_text("轉帳成功")
    shot(atm, "sandbox-9-atm-transfer")

    expect(bot).to_contain_text("已收到訂單 #2 的付款 NT$280")
    shot(page, "sandbox-10-paid-by-atm")
