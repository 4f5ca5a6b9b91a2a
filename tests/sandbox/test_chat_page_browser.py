"""The chat page in headless Debian Chromium, driven by Playwright, against the tiny SDK bot."""

import uuid
from pathlib import Path

import pytest
from linebot.v3.messaging import (FlexContainer, FlexMessage, MessageAction, PostbackAction, QuickReply,
                                  QuickReplyItem, TextMessage)
from linebot.v3.webhooks import MessageEvent, PostbackEvent

from handlers.line_client import LineMessenger

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")


def _product(number: int, name: str, price: str) -> dict:
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
        {"type": "text", "text": name, "weight": "bold", "size": "xl", "wrap": True},
        {"type": "box", "layout": "baseline", "contents": [
            {"type": "text", "text": "價格", "color": "#aaaaaa", "size": "sm", "flex": 1},
            {"type": "text", "text": price, "color": "#06c755", "size": "lg", "flex": 3, "weight": "bold"}]},
        {"type": "separator", "margin": "md"}]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "action": {
                "type": "postback", "label": "加入購物車", "data": f"action=add&item={number}",
                "displayText": f"加入 {number} 號"}}]}}


_QUICK = QuickReply(items=[QuickReplyItem(action=MessageAction(label="查看購物車", text="查看購物車")),
                           QuickReplyItem(action=PostbackAction(label="結帳", data="action=checkout"))])


def _shop_bot(event):
    """Text → a Flex product carousel with quick replies; postback → a confirmation."""
    if isinstance(event, MessageEvent):
        carousel = {"type": "carousel", "contents": [_product(1, "珍珠奶茶禮盒", "NT$1,280"),
                                                     _product(2, "鳳梨酥 12 入", "NT$450")]}
        return [FlexMessage(alt_text="商品列表", contents=FlexContainer.from_dict(carousel), quick_reply=_QUICK)]
    if isinstance(event, PostbackEvent):
        return [TextMessage(text=f"已加入購物車：{event.postback.data}", quick_reply=_QUICK)]
    return None


@pytest.fixture
def page(browser):
    return browser.new_page(viewport={"width": 480, "height": 900})


def _add_rich_menu(line, make_png):
    state = line.state
    rich_menu_id = state.add_rich_menu({
        "size": {"width": 2500, "height": 843}, "selected": True, "name": "shop", "chatBarText": "選單",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 1250, "height": 843},
                   "action": {"type": "postback", "data": "action=cart", "label": "購物車"}},
                  {"bounds": {"x": 1250, "y": 0, "width": 1250, "height": 843},
                   "action": {"type": "message", "text": "商品", "label": "商品"}}]})
    state.set_rich_menu_image(rich_menu_id, make_png(2500, 843, (40, 90, 160)), "image/png")
    state.set_default_rich_menu(rich_menu_id)


def test_a_shopper_chats_taps_flex_and_quick_replies_and_switches(line, page, make_png):
    line.bot.reply_with = _shop_bot
    _add_rich_menu(line, make_png)
    SCREENSHOTS.mkdir(exist_ok=True)
    expect = sync_api.expect
    page.goto(f"{line.emulator_url}/chat")
    expect(page.get_by_test_id("shop-name")).to_have_text("測試商店")

    page.get_by_test_id("chat-input").fill("有什麼商品？")
    page.get_by_test_id("send-button").click()
    expect(page.get_by_test_id("bubble-user").last).to_contain_text("有什麼商品？")
    expect(page.get_by_test_id("flex-bubble")).to_have_count(2)
    expect(page.get_by_test_id("flex-bubble").first).to_contain_text("NT$1,280")
    expect(page.get_by_test_id("quick-reply")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "chat-flex-carousel.png")

    page.get_by_test_id("flex-button").first.click()
    expect(page.get_by_test_id("bubble-user").last).to_contain_text("加入 1 號")
    expect(page.get_by_test_id("bubble-bot").last).to_contain_text("已加入購物車：action=add&item=1")

    page.get_by_test_id("quick-reply").first.click()
    expect(page.get_by_test_id("bubble-user").last).to_contain_text("查看購物車")
    expect(page.get_by_test_id("flex-bubble")).to_have_count(4)

    page.get_by_test_id("richmenu-area").first.click()
    expect(page.get_by_test_id("notice").last).to_have_text("postback: action=cart")
    expect(page.get_by_test_id("bubble-bot").last).to_contain_text("action=cart")
    page.screenshot(path=SCREENSHOTS / "chat-after-actions.png")

    alice = line.state.user_by_name("Alice")
    page.get_by_test_id("user-switcher").select_option(alice.user_id)
    expect(page.get_by_test_id("bubble-user")).to_have_count(0)
    page.get_by_test_id("chat-input").fill("hello")
    page.get_by_test_id("send-button").click()
    expect(page.get_by_test_id("flex-bubble")).to_have_count(2)
    page.get_by_test_id("follow-toggle").click()
    expect(page.get_by_test_id("notice").last).to_contain_text("blocked")
    expect(page.get_by_test_id("chat-input")).to_be_disabled()
    page.screenshot(path=SCREENSHOTS / "chat-switched-shopper.png")

    texts = [e["message"].get("text") for e in line.state.conversation(alice.user_id) if e["direction"] == "user"]
    assert texts == ["hello", None]
    xiaoming = line.state.user_by_name("小明").user_id
    assert "hello" not in [e["message"].get("text") for e in line.state.conversation(xiaoming)]


def test_a_multicast_shows_in_each_recipients_chat(line, page):
    recipients = [line.state.user_by_name(name).user_id for name in ("小明", "Alice")]
    LineMessenger(line.emulator_url, line.state.access_token, timeout=5).multicast(
        recipients, [{"type": "text", "text": "新品上架：凍頂烏龍"}], str(uuid.uuid4()))
    expect = sync_api.expect
    page.goto(f"{line.emulator_url}/chat")
    for user_id in recipients:
        page.get_by_test_id("user-switcher").select_option(user_id)
        expect(page.get_by_test_id("bubble-bot").last).to_contain_text("新品上架：凍頂烏龍")
    page.get_by_test_id("user-switcher").select_option(line.state.user_by_name("小華").user_id)
    expect(page.get_by_test_id("bubble-bot")).to_have_count(0)
