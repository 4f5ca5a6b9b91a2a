"""models/messages.py: every domain event has its words, within LINE's limits, in both languages."""
from datetime import datetime, timedelta, timezone

import pytest

from models import events as ev
from models import messages
from models.errors import NotCancellable, OutOfStock
from models.order import Totals
from models.records import CartLine, Coupon, Order, PaymentAttempt, Product, Recipient
from sandbox.line_validator import validate_messages
from tests.support.messages import all_text

NOW = datetime(2026, 5, 1, 4, 0, tzinfo=timezone.utc)
TEA = Product(1, "烏龍茶", 450, 5)
LINES = [CartLine(1, "烏龍茶", 450, 2, 5)]
COUPON = Coupon(1, "F1", "amount", 50, 300, NOW + timedelta(days=30))
ATM = PaymentAttempt(1, "000009PAB", 9, "A", 850, "open", atm_bank_code="807",
                     atm_pay_no="99248000000001", atm_web_url="https://bank.example/webatm")
CARD = PaymentAttempt(2, "000009PCD", 9, "C", 850, "open", card_url="https://bank.example/card")
ORDER = Order(9, "U1", "paid", 900, 50, 850, NOW, NOW, ())

EVENTS = [
    (ev.ProductsShown("U1", [TEA], 1), "烏龍茶"),
    (ev.ProductsShown("U1", [], 1), "目前沒有上架的商品"),
    (ev.ProductShown("U1", TEA, 2), "購物車內已有 2 件"),
    (ev.CartShown("U1", LINES, Totals(900, 50, 850), COUPON), "NT$850"),
    (ev.CartShown("U1", [], Totals(0, 0, 0), None), "購物車是空的"),
    (ev.CartChanged("U1", LINES, Totals(900, 50, 850), COUPON, TEA, 2), "已更新：烏龍茶 × 2"),
    (ev.CartChanged("U1", [], Totals(0, 0, 0), None, TEA, 0), "已從購物車移除：烏龍茶"),
    (ev.UnavailableDropped("U1", LINES, Totals(900, 0, 900), None, ["紅茶"]), "已從購物車移除：紅茶"),
    (ev.CheckoutStopped("U1", [CartLine(2, "紅茶", 100, 1, 5, active=False)]), "紅茶"),
    (ev.OrderPlaced("U1", 9, LINES, Totals(900, 50, 850), NOW, Recipient("王", "0912345678", "台北市信義區")),
     "訂單 #9"),
    (ev.PaymentStarted("U1", 9, ATM, NOW, 40), "99248000000001"),
    (ev.PaymentStarted("U1", 9, CARD, NOW, 40), "前往信用卡付款"),
    (ev.PaymentReceived("U1", 9, 850), "已收到訂單 #9 的付款 NT$850"),
    (ev.PaymentFailed("U1", 9, 850, "餘額不足"), "餘額不足"),
    (ev.PaidTwice("U1", 9, 850), "另一筆付款"),
    (ev.PaidAfterClose("U1", 9, 850), "已逾期或取消"),
    (ev.OrdersShown("U1", [ORDER]), "#9"),
    (ev.OrdersShown("U1", []), "您還沒有訂單"),
    (ev.OrderCancelled("U1", 9), "訂單 #9 已取消"),
    (ev.OrderExpired("U1", 9), "已超過付款期限"),
    (ev.OrderShipped("U1", 9, "黑貓 9001"), "黑貓 9001"),
    (ev.Followed("U1", "小舖", COUPON, returning=False), "送您一張折價券"),
    (ev.Followed("U1", "小舖", None, returning=True), "歡迎回來"),
    (ev.RecipientSaved("U1", Recipient("王小明", "0912345678", "台北市信義區")), "收件資料已儲存"),
    (ev.HelpShown("U1"), "使用說明"),
    (ev.GroupInvited("C1"), "一對一"),
    (ev.Refused("U1", OutOfStock(name="烏龍茶", stock=1)), "只剩 1 件"),
    (ev.Refused("U1", NotCancellable(order_id=9, status="paid")), "目前已付款"),
    (ev.EventFailed("U1"), "系統忙碌"),
]


@pytest.mark.parametrize("event, says", EVENTS, ids=[type(e).__name__ for e, _ in EVENTS])
def test_every_event_reads_right_and_passes_lines_checks(event, says):
    zh = messages.for_event(event, "zh-TW")
    assert says in all_text(zh)
    assert validate_messages(messages.with_quick_replies(zh, "zh-TW")) == []
    assert validate_messages(messages.for_event(event, "en")) == []


@pytest.mark.parametrize("event", [ev.Unfollowed("U1"), ev.Ignored("U1")])
def test_some_events_need_no_words(event):
    assert messages.for_event(event, "zh-TW") == []


def test_a_refusal_names_the_status_in_the_shoppers_language():
    error = NotCancellable(order_id=9, status="expired")
    assert all_text(messages.refusal(error, "en")) == "Order #9 is expired; it can't be paid now."
