"""Who may enter the back office: owners with a password, scripts with a token, nobody else."""
import pytest

from tests.support.admin import EMAIL, PASSWORD, AdminClient

PAGES = ["/admin/", "/admin/products", "/admin/products/new", "/admin/products/1",
         "/admin/products/1/edit", "/admin/orders", "/admin/orders/1"]
ACTIONS = ["/admin/products/new", "/admin/products/1/edit", "/admin/products/1/stock",
           "/admin/orders/1/ship", "/admin/orders/1/cancel", "/admin/logout"]
API_GETS = ["/admin/api/products", "/admin/api/orders", "/admin/api/orders/1"]
API_POSTS = ["/admin/api/products/1/stock", "/admin/api/orders/1/ship",
             "/admin/api/orders/1/cancel"]


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_page(shop):
    client = shop.app.test_client()
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"].startswith("/admin/login?next="), page


def test_anonymous_form_posts_change_nothing_and_go_to_login(shop):
    shop.add_product(1, stock=10)
    client = AdminClient(shop.app.test_client())
    token = client.csrf()  # a valid token for the anonymous session: still not enough
    for action in ACTIONS:
        response = client.client.post(action, data={"csrf_token": token, "delta": "5",
                                                    "reason": "x", "name": "改名", "price": "1"})
        assert response.status_code == 303, action
        assert response.headers["Location"] == "/admin/login", action
    assert shop.sql("SELECT name, stock FROM products") == [{"name": "烏龍茶", "stock": 10}]


def test_api_refuses_missing_or_wrong_tokens_with_401_json(shop, owner):
    client = shop.app.test_client()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        for url in API_GETS:
            response = client.get(url, headers=headers)
            assert response.status_code == 401, url
            assert response.json == {"message": "missing or invalid API token"}
        for url in API_POSTS:
            assert client.post(url, json={}, headers=headers).status_code == 401, url


def test_a_logged_in_owner_sees_every_page(shop, admin):
    shop.add_product(1)
    assert admin.get("/admin/").status_code == 200
    assert admin.get("/admin/products").status_code == 200
    assert admin.get("/admin/products/1").status_code == 200
    assert admin.get("/admin/orders/999").status_code == 404


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(shop, owner):
    client = AdminClient(shop.app.test_client())
    response = client.login()
    assert response.headers["Location"] == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # the fixture serves plain http on loopback
    assert client.post("/admin/logout").status_code == 303
    assert client.get("/admin/").status_code == 302


def test_the_cookie_is_secure_when_the_shop_is_served_over_https(make_shop):
    shop = make_shop(PUBLIC_BASE_URL="https://shop.example.tw")
    assert shop.app.config["SESSION_COOKIE_SECURE"] is True


def test_processes_without_secret_key_share_a_generated_one_and_an_explicit_one_wins(make_shop):
    first, second = make_shop(), make_shop()
    assert first.app.secret_key == second.app.secret_key  # kept in the instance folder
    assert len(first.app.secret_key) == 64
    assert make_shop(SECRET_KEY="from-the-environment").app.secret_key == "from-the-environment"


def test_login_after_deep_link_returns_to_that_page_but_never_off_site(shop, owner):
    client = AdminClient(shop.app.test_client())
    token = client.csrf()
    form = {"email": EMAIL, "password": PASSWORD, "csrf_token": token}
    back = client.client.post("/admin/login?next=/admin/orders?status=paid", data=form)
    assert back.headers["Location"] == "/admin/orders?status=paid"
    client = AdminClient(shop.app.test_client())
    form["csrf_token"] = client.csrf()
    away = client.client.post("/admin/login?next=https://evil.example/", data=form)
    assert away.headers["Location"] == "/admin/"


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_forms_without_the_right_csrf_token_are_refused(shop, admin, token):
    shop.add_product(1, stock=10)
    data = {"delta": "5", "reason": "進貨"}
    if token is not None:
        data["csrf_token"] = token
    response = admin.client.post("/admin/products/1/stock", data=data)
    assert response.status_code == 400
    assert "表單已過期" in response.get_data(as_text=True)
    assert shop.stock(1) == 10


def test_login_form_needs_its_csrf_token_too(shop, owner):
    client = shop.app.test_client()
    client.get("/admin/login")
    response = client.post("/admin/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 400


def test_wrong_passwords_brake_the_address_for_a_while_even_with_the_right_one(shop, owner):
    client = AdminClient(shop.app.test_client())
    for _ in range(5):
        response = client.login(password="wrong password")
        assert response.status_code == 401
        assert "Email 或密碼錯誤" in response.get_data(as_text=True)
    locked = client.login()
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == "60"
    assert "登入失敗次數過多，請 1 分鐘後再試" in locked.get_data(as_text=True)
    # Another process (a second app on the same database) applies the same brake.
    assert AdminClient(shop.app.test_client()).login().status_code == 429
    # Once the wait is over, the owner gets in again.
    shop.sql("UPDATE login_throttle SET blocked_until = now() - interval '1 second'")
    assert client.login().status_code == 303


def test_a_successful_login_forgets_the_failures_from_its_address(shop, owner):
    client = AdminClient(shop.app.test_client())
    for _ in range(4):
        client.login(password="wrong password")
    assert client.login().status_code == 303
    rows = shop.sql("SELECT address, attempts FROM login_throttle")
    assert rows == [{"address": "*", "attempts": 4}]  # the account-wide count keeps the failures


def test_unknown_emails_get_the_same_answer_and_are_braked_too(shop, owner):
    client = AdminClient(shop.app.test_client())
    for _ in range(5):
        assert client.login(email="thief@example.com").status_code == 401
    assert client.login(email="thief@example.com").status_code == 429


def test_passwords_are_stored_hashed_and_short_ones_refused(shop):
    result = shop.app.test_cli_runner().invoke(args=["create-admin", "a@b.tw"],
                                               input="short\nshort\n")
    assert result.exit_code != 0 and "至少 8" in result.output
    shop.app.test_cli_runner().invoke(args=["create-admin", "A@B.tw"],
                                      input=f"{PASSWORD}\n{PASSWORD}\n")
    stored = shop.sql("SELECT email, password_hash FROM admins")
    assert stored[0]["email"] == "a@b.tw"
    assert PASSWORD not in stored[0]["password_hash"]
    assert stored[0]["password_hash"].startswith(("scrypt:", "pbkdf2:"))


def test_api_tokens_are_printed_once_stored_hashed_and_replaced_by_the_next(shop, owner):
    runner = shop.app.test_cli_runner()
    first = runner.invoke(args=["create-admin-token", EMAIL]).output.strip()
    client = shop.app.test_client()
    assert client.get("/admin/api/products",
                      headers={"Authorization": f"Bearer {first}"}).status_code == 200
    assert first not in str(shop.sql("SELECT * FROM admins"))
    second = runner.invoke(args=["create-admin-token", EMAIL]).output.strip()
    assert client.get("/admin/api/products",
                      headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.get("/admin/api/products",
                      headers={"Authorization": f"Bearer {second}"}).status_code == 200
    unknown = runner.invoke(args=["create-admin-token", "nobody@shop.tw"])
    assert unknown.exit_code != 0
