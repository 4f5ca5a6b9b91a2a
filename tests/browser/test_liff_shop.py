"""A shopper buys on the shop page inside LINE (LIFF) in the sandbox, and is told in the chat."""
import re

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser
expect = sync_api.expect


def sql(running, query, params=()):
    with running["app"].extensions["runtime"].db.transaction() as cur:
        cur.execute(query, params)


def test_buy_two_products_on_the_liff_page_and_pay_by_card(sandbox_shop, browser, shot):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.goto(sandbox_shop["chat_url"])
    chat = page.get_by_test_id("message-list")
    expect(page.get_by_test_id("richmenu-area")).to_have_count(4)
    page.get_by_test_id("richmenu-area").first.click()  # 商品 opens the shop page (LIFF)

    shop = page.frame_locator("[data-testid=liff-frame]")
    expect(shop.get_by_test_id("product-1")).to_contain_text("阿里山高山烏龍茶")
    expect(shop.locator("[data-testid=product-1] img")).to_have_js_property("complete", True)
    shot(page, "liff-1-products")

    shop.get_by_test_id("add-1").click()
    shop.get_by_test_id("add-1").click()
    shop.get_by_test_id("add-3").click()
    shop.locator("[data-testid=product-2] a").click()
    expect(shop.get_by_test_id("product-detail")).to_contain_text("愛文芒果")
    shop.get_by_test_id("add-2").click()
    expect(shop.get_by_test_id("cart-summary")).to_contain_text("4 件")
    expect(shop.get_by_test_id("cart-summary")).to_contain_text("NT$1,540")
    shot(page, "liff-2-detail-and-cart")

    shop.get_by_test_id("go-checkout").click()
    shop.get_by_test_id("input-name").fill("王小明")
    shop.get_by_test_id("input-phone").fill("0912-34")
    shop.get_by_test_id("input-address").fill("台北市信義區市府路1號")
    expect(shop.get_by_test_id("error-phone")).to_contain_text("09 開頭的 10 位數手機號碼")
    shop.get_by_test_id("place-order").click()
    expect(shop.get_by_test_id("error-phone")).to_be_visible()
    shot(page, "liff-3-bad-phone")

    # Someone else buys the last boxes of product 3 while this shopper is typing.
    sql(sandbox_shop, "UPDATE products SET stock = 0 WHERE id = 3")
    shop.get_by_test_id("input-phone").fill("0912345678")
    expect(shop.get_by_test_id("error-phone")).to_be_hidden()
    shop.get_by_test_id("pay-card").check()
    shop.get_by_test_id("place-order").click()
    expect(shop.get_by_test_id("line-problem-3")).to_contain_text("已售完")
    expect(shop.get_by_test_id("line-problem-1")).to_have_count(0)
    shot(page, "liff-4-sold-out-line")

    shop.get_by_test_id("remove-3").click()
    shop.get_by_test_id("place-order").click()
    expect(shop.get_by_test_id("order")).to_contain_text("訂單 #1")
    expect(shop.get_by_test_id("order-total")).to_contain_text("NT$1,180")
    expect(chat).to_contain_text("訂單 #1")  # the order card reached the chat too
    shot(page, "liff-5-order-card-button")

    with page.context.expect_page() as card_tab:
        shop.get_by_test_id("pay-card-page").click()
    card = card_tab.value
    card.wait_for_load_state()
    expect(card.locator(".amount")).to_contain_text("1,180")
    card.get_by_role("button", name="付款").click()
    expect(card.get_by_test_id("payment-result")).to_contain_text("付款成功")

    expect(shop.get_by_test_id("paid")).to_contain_text("已付款", timeout=15000)
    shot(page, "liff-6-paid-on-the-page")
    shop.get_by_test_id("close-page").click()  # liff.closeWindow() hands back to the chat
    expect(page.get_by_test_id("liff")).to_be_hidden()
    expect(chat).to_contain_text("已收到訂單 #1 的付款 NT$1180")
    shot(page, "liff-7-paid-in-the-chat")


def test_an_english_shopper_pays_by_atm_and_copies_the_account(sandbox_shop, browser, shot):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(sandbox_shop["chat_url"])
    alice = sandbox_shop["line_state"].user_by_name("Alice").user_id
    page.get_by_test_id("user-switcher").select_option(alice)
    page.get_by_test_id("chat-input").fill("products")
    page.get_by_test_id("send-button").click()
    chat = page.get_by_test_id("message-list")
    photo = chat.locator(".flex-bubble img").first  # product photos show in the chat
    expect(photo).to_be_visible()
    expect(photo).to_have_js_property("complete", True)
    expect(photo).not_to_have_js_property("naturalWidth", 0)
    shot(page, "liff-8-chat-cards-with-photos")
    chat.get_by_role("button", name=re.compile("看詳情|Details")).first.click()

    shop = page.frame_locator("[data-testid=liff-frame]")
    expect(shop.get_by_test_id("product-detail")).to_contain_text("Add to cart")
    shop.get_by_test_id("add-1").click()
    shop.get_by_test_id("go-checkout").click()
    shop.get_by_test_id("input-name").fill("Alice Wang")
    shop.get_by_test_id("input-phone").fill("0987654321")
    shop.get_by_test_id("input-address").fill("No. 1, City Hall Rd, Taipei")
    shop.get_by_test_id("place-order").click()
    account = shop.get_by_test_id("va-account")
    expect(account).to_have_text(re.compile(r"^\d{14}$"))
    shop.get_by_test_id("copy-account").click()
    expect(shop.get_by_test_id("copy-account")).to_have_text("Copied")
    shot(page, "liff-9-atm-account")
    number = account.inner_text()

    atm = browser.new_page()
    atm.goto(f"{sandbox_shop['bank_url']}/atm/transfer")
    atm.locator("input[name=AtmPayNo]").fill(number)
    atm.get_by_role("button", name="轉帳").click()
    expect(shop.get_by_test_id("paid")).to_contain_text("Paid", timeout=15000)
    shop.get_by_test_id("nav-orders").click()
    expect(shop.get_by_test_id("order-1")).to_contain_text("paid")
    shot(page, "liff-10-order-list")
    page.get_by_test_id("liff-close").click()
    # Alice never followed the bot here, so it doesn't know her LINE language yet.
    expect(chat).to_contain_text(re.compile(r"(已收到訂單 #1 的付款|for order #1 received)"))
