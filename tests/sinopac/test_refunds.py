"""Card refunds (OrderMaintain R) and the refund fields of OrderQuery: QPayClient ↔ emulator."""
from datetime import date, timedelta

import pytest
import requests

from sinopac import (ATMParam, BankConnectionError, BankRejectedError, CardParam,
                     OrderCreateRequest, QPayClient)
from sinopac.emulator_state import EmulatorState

SHOP = "NA0249_001"
KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
X_KEY_ID = "5f0c2a9e-0d7b-4c1e-9a3f-7b1e2d4c6a80"
# Payment notices go nowhere: these tests read the bank's answers, not its notices.
NOWHERE = "http://127.0.0.1:9/backend"


@pytest.fixture
def state():
    bank = EmulatorState(notify_attempts=1)
    bank.add_shop(SHOP, KEYS, X_KEY_ID)
    return bank


@pytest.fixture
def client(bank_url):
    return QPayClient(bank_url + "/api", SHOP, KEYS, X_KEY_ID, timeout=2.0)


def configure(bank_url, **knobs):
    requests.post(bank_url + "/_emulator/config", json=knobs, timeout=5).raise_for_status()


def paid_card_order(client, state, order_no="C0001", amount=1000):
    client.order_create(OrderCreateRequest(
        OrderNo=order_no, Amount=amount, PayType="C", PrdtName="烏龍茶 x2",
        ReturnURL=NOWHERE, BackendURL=NOWHERE, CardParam=CardParam()))
    state.pay(order_no)


def refund_fields(client, order_no="C0001"):
    row = client.order_query(order_no).OrderList[0]
    return row.RefundFlag, row.RefundStatus, row.RefundAmount


def test_a_partial_then_the_remaining_refund_are_reported_by_order_query(client, state):
    paid_card_order(client, state, amount=1000)
    assert refund_fields(client) == ("N", "", 0)

    first = client.order_maintain("C0001", amount=300, remark="少一件")
    assert (first.Status, first.Command, first.Amount) == ("S", "R", 300)
    assert refund_fields(client) == ("Y", "R", 300)
    assert client.order_query("C0001").OrderList[0].RefundDate

    rest = client.order_maintain("C0001", "R")
    assert rest.Amount == 700
    assert refund_fields(client) == ("Y", "A", 1000)
    assert [(r["amount"], r["remark"]) for r in state.order_list()[0]["Refunds"]] == \
        [(30000, "少一件"), (70000, None)]


def test_the_amount_goes_on_the_wire_times_100(client, state):
    paid_card_order(client, state, amount=1000)
    client.order_maintain("C0001", amount=250)
    assert state.order_list()[0]["RefundedAmount"] == 25000


def test_more_than_what_is_left_is_refused_and_nothing_changes(client, state):
    paid_card_order(client, state, amount=1000)
    client.order_maintain("C0001", amount=600)
    with pytest.raises(BankRejectedError) as info:
        client.order_maintain("C0001", amount=401)
    assert info.value.description == "E0204 \u2013 金額不正確"
    assert refund_fields(client) == ("Y", "R", 600)
    client.order_maintain("C0001", amount=400)
    with pytest.raises(BankRejectedError, match="E0302"):
        client.order_maintain("C0001", amount=1)


def test_an_unpaid_card_order_cannot_be_refunded(client):
    client.order_create(OrderCreateRequest(
        OrderNo="C0002", Amount=500, PayType="C", PrdtName="紅茶", ReturnURL=NOWHERE,
        BackendURL=NOWHERE, CardParam=CardParam()))
    with pytest.raises(BankRejectedError) as info:
        client.order_maintain("C0002", amount=100)
    assert info.value.description == "E0302 \u2013 訂單狀態不允許此操作"


def test_a_paid_atm_order_cannot_be_refunded_through_the_api(client, state):
    tomorrow = (date.today() + timedelta(days=1)).strftime("%Y%m%d")
    client.order_create(OrderCreateRequest(
        OrderNo="A0001", Amount=500, PayType="A", PrdtName="綠茶", ReturnURL=NOWHERE,
        BackendURL=NOWHERE, ATMParam=ATMParam(ExpireDate=tomorrow)))
    state.pay("A0001")
    with pytest.raises(BankRejectedError) as info:
        client.order_maintain("A0001", amount=500)
    assert info.value.description == "E0303 \u2013 ATM 交易無法線上退款"
    assert refund_fields(client, "A0001") == ("N", "", 0)


def test_the_refuse_knob_refuses_with_its_description_and_changes_nothing(
        client, state, bank_url):
    paid_card_order(client, state)
    configure(bank_url, refuse_next=1, refuse_description="E0999 \u2013 發卡行拒絕退款")
    with pytest.raises(BankRejectedError) as info:
        client.order_maintain("C0001", amount=100)
    assert info.value.description == "E0999 \u2013 發卡行拒絕退款"
    assert refund_fields(client) == ("N", "", 0)
    assert client.order_maintain("C0001", amount=100).Status == "S"


def test_a_dropped_answer_times_out_once_yet_the_refund_is_done(bank_url, state):
    client = QPayClient(bank_url + "/api", SHOP, KEYS, X_KEY_ID, timeout=0.3)
    paid_card_order(client, state)
    configure(bank_url, drop_next=1, hang_seconds=0.6)
    with pytest.raises(BankConnectionError) as info:
        client.order_maintain("C0001", amount=400)
    assert info.value.should_retry is True
    # Not retried by the client: OrderQuery tells what the bank already refunded.
    assert refund_fields(client) == ("Y", "R", 400)
    assert len(state.order_list()[0]["Refunds"]) == 1


def test_a_remark_with_forbidden_characters_is_refused(client, state):
    paid_card_order(client, state)
    with pytest.raises(BankRejectedError, match="E0203"):
        client.order_maintain("C0001", amount=100, remark="50% off")
