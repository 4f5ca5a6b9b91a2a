"""The JSON order API the shop page buys through: real PostgreSQL, LINE Login and the bank emulated."""
import threading

import pytest
import requests

from tests.support.messages import all_text

RECIPIENT = {"name": "王小明", "phone": "0912345678", "address": "台北市信義區市府路1號"}


@pytest.fixture
def api(make_shop):
    return make_shop(LINE_LOGIN_CHANNEL_ID="2000000000")


def token(shop, user_id: str, **kwargs) -> str:
    return shop.line.login.issue_id_token(user_id, "小明", **kwargs)


def call(shop, method: str, path: str, user_id: str | None = None, *, bearer: str | None = None,
         **kwargs) -> requests.Response:
    headers = kwargs.pop("headers", {})
    if user_id or bearer:
        headers["Authorization"] = f"Bearer {bearer or token(shop, user_id)}"
    return requests.request(method, f"{shop.url}/api{path}", headers=headers, timeout=10, **kwargs)


def order(shop, user_id, *lines, recipient=RECIPIENT) -> requests.Response:
    body = {"products": [{"product_id": p, "count": n} for p, n in lines]}
    if recipient is not None:
        body["recipient"] = recipient
    return call(shop, "POST", "/orders", user_id, json=body)


def test_visible_products_are_listed_without_signing_in(api):
    api.add_product(1, "烏龍茶", 450, 3, image_url="https://cdn.example/1.png")
    api.add_product(2, "停售品", 100, 5)
    api.sql("UPDATE products SET active = false WHERE id = 2")
    answer = call(api, "GET", "/products")
    assert answer.status_code == 200
    assert answer.json() == {"products": [{"id": 1, "name": "烏龍茶", "price": 450, "stock": 3,
                                           "image_url": "https://cdn.example/1.png",
                                           "description": ""}]}


@pytest.mark.parametrize("case", ["missing", "not bearer", "refused by LINE", "wrong audience",
                                  "expired"])
def test_tokens_line_does_not_vouch_for_are_unauthorized(api, case):
    user = api.shopper()
    headers = {"missing": {}, "not bearer": {"Authorization": f"Basic {token(api, user)}"},
               "refused by LINE": {"Authorization": "Bearer not.a.token"},
               "wrong audience": {"Authorization": f"Bearer {token(api, user, audience='1999')}"},
               "expired": {"Authorization": f"Bearer {token(api, user, lifetime=-5)}"}}[case]
    for method, path in (("GET", "/orders"), ("GET", "/me"), ("POST", "/orders"),
                         ("GET", "/orders/1"), ("POST", "/orders/1/payments")):
        answer = requests.request(method, f"{api.url}/api{path}", headers=headers, json={},
                                  timeout=10)
        assert (answer.status_code, answer.json()) == (401, {"error": "unauthorized"}), path


def test_a_verified_token_is_asked_of_line_once_while_it_lasts(api):
    user = api.shopper()
    bearer = token(api, user)
    before = api.line.login.verify_calls
    for _ in range(3):
        assert call(api, "GET", "/orders", bearer=bearer).status_code == 200
    assert api.line.login.verify_calls == before + 1


def test_line_login_down_is_a_503_not_a_500(make_shop):
    shop = make_shop(LINE_LOGIN_CHANNEL_ID="2000000000", LINE_API_BASE_URL="http://127.0.0.1:9")
    answer = call(shop, "GET", "/orders", bearer="some.id.token")
    assert answer.status_code == 503
    assert answer.json()["error"] == "login_unavailable"


def test_an_order_is_placed_with_its_snapshot_and_its_card_reaches_the_chat(api):
    api.add_product(1, "烏龍茶", 450, 5, image_url="https://cdn.example/1.png")
    api.add_product(2, "芒果乾", 280, 5)
    user = api.shopper()
    answer = order(api, user, (2, 1), (1, 2))
    assert answer.status_code == 201
    placed = answer.json()["order"]
    assert {k: placed[k] for k in ("id", "status", "subtotal", "discount", "total")} == {
        "id": 1, "status": "pending", "subtotal": 1180, "discount": 0, "total": 1180}
    assert placed["lines"] == [
        {"product_id": 1, "name": "烏龍茶", "unit_price": 450,
         "image_url": "https://cdn.example/1.png", "count": 2, "total_price": 900},
        {"product_id": 2, "name": "芒果乾", "unit_price": 280, "image_url": None, "count": 1,
         "total_price": 280}]
    assert placed["recipient"] == RECIPIENT and placed["expires_at"]
    assert (api.stock(1), api.stock(2)) == (3, 4)
    assert "訂單 #1" in all_text(api.bot_messages(user))
    # A later price or name change leaves the order as it was bought.
    api.sql("UPDATE products SET price = 999, name = '新名字' WHERE id = 1")
    again = call(api, "GET", "/orders/1", user).json()["order"]
    assert again["lines"] == placed["lines"] and again["total"] == 1180


def test_the_follower_coupon_and_the_saved_recipient_apply_as_in_the_chat(api):
    api.add_product(1, "烏龍茶", 450, 5)
    user = api.shopper()
    api.follow(user)
    api.text(user, "收件 王小明 0912345678 台北市信義區市府路1號")
    assert call(api, "GET", "/me", user).json() == {"recipient": RECIPIENT}
    placed = order(api, user, (1, 1), recipient=None).json()["order"]
    assert (placed["subtotal"], placed["discount"], placed["total"]) == (450, 50, 400)
    assert placed["recipient"] == RECIPIENT
    second = order(api, user, (1, 1), recipient=None).json()["order"]
    assert second["discount"] == 0


def test_a_bad_order_names_every_problem_and_changes_nothing(api):
    api.add_product(1, "烏龍茶", 450, 5)
    user = api.shopper()
    answer = call(api, "POST", "/orders", user, json={
        "products": [{"product_id": 1, "count": 1.5}, {"product_id": "2", "count": True},
                     {"product_id": 1, "count": 0}],
        "recipient": {"name": "王小明", "phone": "12345", "address": "台北市信義區市府路1號"}})
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"
    assert set(answer.json()["fields"]) == {
        "products[0].count", "products[1].product_id", "products[1].count",
        "products[2].product_id", "products[2].count", "recipient.phone"}
    english = call(api, "POST", "/orders", user, json={"products": []},
                   headers={"Accept-Language": "en"}).json()["fields"]
    assert english == {"products": "Must be a list of 1 to 100 items", "recipient": "Required"}
    assert api.stock(1) == 5 and not api.sql("SELECT id FROM orders")


def test_short_hidden_or_unknown_lines_get_every_lines_status_and_nothing_is_reserved(api):
    api.add_product(1, "烏龍茶", 450, 5)
    api.add_product(2, "芒果乾", 280, 1)
    api.add_product(3, "停售品", 100, 9)
    api.sql("UPDATE products SET active = false WHERE id = 3")
    user = api.shopper()
    answer = order(api, user, (1, 2), (2, 3), (3, 1), (99, 1))
    assert answer.status_code == 409
    assert answer.json() == {"error": "out_of_stock", "lines": [
        {"product_id": 1, "name": "烏龍茶", "count": 2, "have_stock": True, "total_price": 900},
        {"product_id": 2, "name": "芒果乾", "count": 3, "have_stock": False, "total_price": 840},
        {"product_id": 3, "name": None, "count": 1, "have_stock": False, "total_price": 0},
        {"product_id": 99, "name": None, "count": 1, "have_stock": False, "total_price": 0}]}
    assert (api.stock(1), api.stock(2), api.stock(3)) == (5, 1, 9)
    assert not api.sql("SELECT id FROM orders") and not api.bot_messages(user)


def test_an_order_beyond_what_the_bank_takes_is_refused_before_stock_moves(api):
    api.add_product(1, "金條", 9_000_000, 5)
    user = api.shopper()
    answer = order(api, user, (1, 2))
    assert answer.status_code == 422
    assert answer.json()["error"] == "order_too_large"
    assert "NT$9999999" in answer.json()["message"]
    assert api.stock(1) == 5 and not api.sql("SELECT id FROM orders")


def test_another_shoppers_order_is_not_found_like_a_missing_one(api):
    api.add_product(1, "烏龍茶", 450, 5)
    owner, other = api.shopper("小明"), api.shopper("小華")
    order_id = order(api, owner, (1, 1)).json()["order"]["id"]
    for user, order_path in ((other, order_id), (owner, 424242), (owner, 2**40)):
        shown = call(api, "GET", f"/orders/{order_path}", user)
        paid = call(api, "POST", f"/orders/{order_path}/payments", user, json={"method": "atm"})
        assert (shown.status_code, shown.json()) == (404, {"error": "not_found"})
        assert (paid.status_code, paid.json()) == (404, {"error": "not_found"})
    assert call(api, "GET", "/orders", other).json() == {"orders": []}
    assert not api.attempts(order_id)


def test_the_shoppers_orders_are_listed_newest_first(api):
    api.add_product(1, "烏龍茶", 450, 5)
    user = api.shopper()
    order(api, user, (1, 1))
    order(api, user, (1, 2))
    listed = call(api, "GET", "/orders", user).json()["orders"]
    assert [(o["id"], o["total"]) for o in listed] == [(2, 900), (1, 450)]


def test_paying_by_atm_gives_the_virtual_account_and_by_card_the_card_page(api):
    api.add_product(1, "烏龍茶", 450, 5)
    user = api.shopper()
    first = order(api, user, (1, 1)).json()["order"]["id"]
    atm = call(api, "POST", f"/orders/{first}/payments", user, json={"method": "atm"})
    assert atm.status_code == 201
    payment = atm.json()["payment"]
    assert payment["method"] == "atm" and payment["bank_code"] == "807"
    assert len(payment["account"]) == 14 and payment["amount"] == 450 and payment["deadline"]
    shown = call(api, "GET", f"/orders/{first}", user).json()["order"]["payment"]
    assert shown["account"] == payment["account"]
    second = order(api, user, (1, 1)).json()["order"]["id"]
    card = call(api, "POST", f"/orders/{second}/payments", user, json={"method": "card"})
    assert card.status_code == 201
    assert card.json()["payment"]["method"] == "card"
    assert card.json()["payment"]["card_url"].startswith(api.bank.url)
    # The bank's notice settles it as for the chat.
    api.bank_pays(api.attempts(second)[-1]["order_no"])
    assert api.wait_until(lambda: api.order(second)["status"] == "paid")
    assert call(api, "GET", f"/orders/{second}", user).json()["order"]["status"] == "paid"


def test_an_order_that_is_not_payable_is_a_409(api):
    api.add_product(1, "烏龍茶", 450, 5)
    user = api.shopper()
    order_id = order(api, user, (1, 1)).json()["order"]["id"]
    api.postback(user, f"action=cancel&order={order_id}")
    answer = call(api, "POST", f"/orders/{order_id}/payments", user, json={"method": "card"})
    assert answer.status_code == 409
    assert answer.json()["error"] == "not_payable" and "已取消" in answer.json()["message"]


def test_the_bank_failing_is_a_503_and_the_order_stays_payable(api):
    api.add_product(1, "烏龍茶", 450, 5)
    user = api.shopper()
    order_id = order(api, user, (1, 1)).json()["order"]["id"]
    api.bank.fail_next = 5
    answer = call(api, "POST", f"/orders/{order_id}/payments", user, json={"method": "atm"})
    assert answer.status_code == 503
    assert answer.json()["error"] == "bank_unavailable" and "仍為您保留" in answer.json()["message"]
    assert api.order(order_id)["status"] == "pending" and api.stock(1) == 4
    api.bank.fail_next = 0
    retried = call(api, "POST", f"/orders/{order_id}/payments", user, json={"method": "atm"})
    assert retried.status_code == 201


@pytest.mark.parametrize("kwargs, status", [
    ({"data": "products=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415),
    ({"data": b"{not json", "headers": {"Content-Type": "application/json"}}, 400),
    ({"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}, 400),
    ({"data": b"[" + b"1," * 40000 + b"1]", "headers": {"Content-Type": "application/json"}}, 413),
    ({"json": [1, 2]}, 400),
    ({"json": "order"}, 400),
    ({"json": {"products": {"1": 2}}}, 400),
])
def test_bodies_that_are_not_json_too_large_or_the_wrong_shape_get_a_json_4xx(api, kwargs, status):
    user = api.shopper()
    for path in ("/orders", "/orders/1/payments"):
        answer = call(api, "POST", path, user, **kwargs)
        assert answer.status_code == status, (path, answer.text)
        assert answer.headers["Content-Type"] == "application/json" and answer.json()["error"]


def test_unknown_api_paths_and_methods_answer_json(api):
    assert call(api, "GET", "/nothing").json() == {"error": "not_found"}
    wrong = call(api, "DELETE", "/products")
    assert wrong.status_code in (404, 405) and wrong.json()["error"]


def test_the_api_and_the_chat_racing_for_the_last_units_sell_exactly_the_stock(make_shop):
    shop = make_shop(LINE_LOGIN_CHANNEL_ID="2000000000", WORKER_THREADS=4)
    shop.add_product(1, "烏龍茶", 450, 3)
    chat_buyers = [shop.buyer(f"chat{i}") for i in range(4)]
    api_buyers = [shop.shopper(f"api{i}") for i in range(4)]
    for user in chat_buyers:
        shop.text(user, "cart 1 1")
    barrier = threading.Barrier(len(chat_buyers) + len(api_buyers))
    answers = {}

    def chat(user):
        barrier.wait()
        shop.line.webhook.send_postback(user, "action=buy")

    def page(user):
        barrier.wait()
        answers[user] = order(shop, user, (1, 1)).status_code

    threads = ([threading.Thread(target=chat, args=(u,)) for u in chat_buyers]
               + [threading.Thread(target=page, args=(u,)) for u in api_buyers])
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shop.work()
    assert shop.wait_until(lambda: all(len(shop.bot_messages(u)) >= 3 for u in chat_buyers), 15)
    assert shop.stock(1) == 0
    assert shop.sql("SELECT count(*) AS n FROM orders")[0]["n"] == 3
    sold_in_chat = sum("訂單 #" in shop.last_text(u) for u in chat_buyers)
    assert sold_in_chat + list(answers.values()).count(201) == 3
    assert set(answers.values()) <= {201, 409}
