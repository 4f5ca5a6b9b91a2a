"""The back office in headless Debian Chromium, next to the shopper's chat in the LINE emulator."""
from pathlib import Path

import pytest

from tests.support.admin import create_owner, log_in_page

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")



def test_the_owner_adds_a_product_the_shopper_buys_it_and_the_owner_ships_it(make_shop, browser):
    shop = make_shop(WORKER_THREADS=2)
    create_owner(shop.app)
    shopper = shop.shopper("小明")
    SCREENSHOTS.mkdir(exist_ok=True)
    expect = sync_api.expect
    owner = browser.new_page(viewport={"width": 1200, "height": 900})
    chat = browser.new_page(viewport={"width": 480, "height": 900})

    log_in_page(owner, f"{shop.url}/admin/products")
    expect(owner.get_by_role("heading", name="商品")).to_be_visible()
    owner.get_by_role("link", name="＋ 新增商品").click()
    owner.get_by_label("名稱").fill("阿里山高山茶")
    owner.get_by_label("價格（NT$）").fill("450")
    owner.get_by_label("初始庫存").fill("8")
    owner.get_by_label("說明").fill("150g 罐裝")
    owner.get_by_role("button", name="新增").click()
    expect(owner.get_by_role("status")).to_contain_text("已新增商品 #1 阿里山高山茶")
    expect(owner.get_by_test_id("stock")).to_have_text("8")
    owner.screenshot(path=SCREENSHOTS / "admin-product.png", full_page=True)

    chat.goto(f"{shop.line.url}/chat")
    chat.get_by_test_id("user-switcher").select_option(shopper)
    messages = chat.get_by_test_id("message-list")
    for text in ("商品", "cart 1 2", "收件 王小明 0912345678 台北市信義區市府路1號", "結帳"):
        chat.get_by_test_id("chat-input").fill(text)
        chat.get_by_test_id("send-button").click()
        expect(chat.get_by_test_id("bubble-user").last).to_contain_text(text)
        if text == "商品":
            expect(messages).to_contain_text("阿里山高山茶")
    expect(messages).to_contain_text("請選擇付款方式")
    chat.get_by_test_id("flex-button").filter(has_text="ATM 轉帳").last.click()
    expect(messages).to_contain_text("虛擬帳號")
    order_no = shop.sql("SELECT order_no FROM payment_attempts")[0]["order_no"]
    shop.bank.pay(order_no)
    expect(messages).to_contain_text("已收到訂單 #1 的付款")

    owner.get_by_role("link", name="訂單").click()
    owner.get_by_role("link", name="#1").click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text("已付款")
    owner.get_by_label("物流備註").fill("黑貓宅急便 單號 9001")
    owner.get_by_role("button", name="標記已出貨並通知顧客").click()
    expect(owner.get_by_role("status")).to_contain_text("訂單 #1 已標記出貨")
    owner.screenshot(path=SCREENSHOTS / "admin-order-shipped.png", full_page=True)
    expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("🚚 訂單 #1 已出貨！黑貓宅急便 單號 9001")
    chat.screenshot(path=SCREENSHOTS / "admin-chat-shipped.png")

    owner.get_by_role("link", name="總覽").click()
    expect(owner.get_by_test_id("revenue-today")).to_have_text("NT$900")
    expect(owner.get_by_test_id("orders-today")).to_have_text("1")
    owner.screenshot(path=SCREENSHOTS / "admin-dashboard.png", full_page=True)

    owner.get_by_role("link", name="紀錄").click()
    rows = owner.get_by_test_id("audit-row")
    expect(rows).to_have_count(3)
    for index, action in enumerate(("出貨", "新增商品", "登入")):  # newest first
        expect(rows.nth(index)).to_contain_text(action)
    owner.screenshot(path=SCREENSHOTS / "admin-audit.png", full_page=True)

def test_the_owner_refunds_part_of_a_paid_card_order_and_the_shopper_sees_it_in_the_chat(
        make_shop, browser):
    shop = make_shop(WORKER_THREADS=2)
    create_owner(shop.app)
    shop.add_product(1, name="阿里山高山茶", price=450, stock=8)
    shopper = shop.shopper("小明")
    SCREENSHOTS.mkdir(exist_ok=True)
    expect = sync_api.expect
    chat = browser.new_page(viewport={"width": 480, "height": 900})
    owner = browser.new_page(viewport={"width": 1200, "height": 900})

    chat.goto(f"{shop.line.url}/chat")
    chat.get_by_test_id("user-switcher").select_option(shopper)
    messages = chat.get_by_test_id("message-list")
    for text in ("cart 1 2", "收件 王小明 0912345678 台北市信義區市府路1號", "結帳"):
        chat.get_by_test_id("chat-input").fill(text)
        chat.get_by_test_id("send-button").click()
        expect(chat.get_by_test_id("bubble-user").last).to_contain_text(text)
    expect(messages).to_contain_text("請選擇付款方式")
    chat.get_by_test_id("flex-button").filter(has_text="信用卡").last.click()
    expect(messages).to_contain_text("信用卡付款")
    with chat.context.expect_page() as card_tab:
        chat.get_by_text("前往信用卡付款").last.click()
    card = card_tab.value
    card.get_by_role("button", name="付款").click()
    expect(card.get_by_test_id("payment-result")).to_contain_text("付款成功")
    expect(messages).to_contain_text("已收到訂單 #1 的付款 NT$900")

    log_in_page(owner, f"{shop.url}/admin/orders/1")
    expect(owner.get_by_role("heading", level=1)).to_contain_text("已付款")
    owner.get_by_label("退款金額").fill("450")
    owner.get_by_label("退款原因").fill("缺貨一罐")
    owner.get_by_label("商品未出貨，退回庫存").check()
    owner.get_by_role("button", name="經銀行退款到信用卡").click()
    expect(owner.get_by_role("status")).to_contain_text("訂單 #1 已退款 NT$450")
    expect(owner.get_by_role("heading", level=1)).to_contain_text("部分退款")
    expect(owner.get_by_test_id("refund-totals")).to_contain_text(
        "已付 NT$900・已退 NT$450・可退 NT$450")
    owner.screenshot(path=SCREENSHOTS / "admin-order-refunded.png", full_page=True)
    expect(chat.get_by_test_id("bubble-bot").last).to_contain_text(
        "💸 訂單 #1 已退款 NT$450，款項會退回您付款的信用卡")
    expect(chat.get_by_test_id("bubble-bot").last).to_contain_text("原因：缺貨一罐")
    chat.screenshot(path=SCREENSHOTS / "admin-chat-refunded.png")
    order_no = shop.sql("SELECT order_no FROM payment_attempts")[0]["order_no"]
    assert [r.amount for r in shop.bank.find_order(order_no).refunds] == [45000]
    assert shop.stock(1) == 8
