"""What keeps strangers out of the back office: keys, session ends, the login brake, headers."""
import hashlib
import hmac
import threading
import time

import requests
from flask import Flask

import services.admin_accounts
from tests.support.admin import CSRF, EMAIL, PASSWORD, AdminClient, create_owner
from tests.support.settings import CHANNEL_SECRET

ATTACKER = "198.51.100.66"
OWNER_ELSEWHERE = "203.0.113.7"


def test_a_session_signed_with_a_key_derived_from_the_channel_secret_is_refused(shop, owner):
    shop.add_product(1, stock=10)
    # The key older versions derived from LINE_CHANNEL_SECRET, which many people hold.
    derived = hmac.new(CHANNEL_SECRET.encode(), b"flask-session-key", hashlib.sha256).hexdigest()
    forger = Flask("forger")
    forger.secret_key = derived
    cookie = forger.session_interface.get_signing_serializer(forger).dumps(
        {"admin_id": 1, "session_version": 0, "issued_at": int(time.time()), "csrf_token": "t"})
    client = shop.app.test_client()
    client.set_cookie("session", cookie)
    assert client.get("/admin/").status_code == 302
    client.post("/admin/products/1/stock", data={"csrf_token": "t", "delta": "-10",
                                                 "reason": "偷"})
    assert shop.stock(1) == 10


def _copy_of(admin: AdminClient, shop) -> AdminClient:
    """A second browser holding the same session cookie (as a thief would)."""
    thief = AdminClient(shop.app.test_client())
    thief.client.set_cookie("session", admin.client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logout_stops_working_at_logout(shop, admin):
    thief = _copy_of(admin, shop)
    assert thief.get("/admin/").status_code == 200
    assert admin.post("/admin/logout").status_code == 303
    assert thief.get("/admin/").status_code == 302
    assert admin.get("/admin/").status_code == 302


def test_a_password_change_ends_every_session(shop, admin):
    thief = _copy_of(admin, shop)
    create_owner(shop.app, password="a brand new password")
    assert thief.get("/admin/").status_code == 302
    assert admin.get("/admin/").status_code == 302
    assert AdminClient(shop.app.test_client()).login(
        password="a brand new password").status_code == 303


def test_revoke_sessions_ends_every_session_of_that_owner_only(shop, admin):
    create_owner(shop.app, email="helper@shop.tw")
    helper = AdminClient(shop.app.test_client())
    helper.login(email="helper@shop.tw")
    laptop = AdminClient(shop.app.test_client())
    laptop.login()
    result = shop.app.test_cli_runner().invoke(args=["revoke-sessions", "Owner@Shop.tw"])
    assert result.exit_code == 0 and "owner@shop.tw" in result.output
    assert admin.get("/admin/").status_code == 302
    assert laptop.get("/admin/").status_code == 302
    assert helper.get("/admin/").status_code == 200
    unknown = shop.app.test_cli_runner().invoke(args=["revoke-sessions", "nobody@shop.tw"])
    assert unknown.exit_code != 0 and "沒有這個管理者帳號" in unknown.output


def test_a_session_ends_twelve_hours_after_login_however_busy_the_owner_is(shop, admin,
                                                                           monkeypatch):
    start = time.time()
    # One clock for everything that signs or reads the cookie (Flask's timestamps included).
    for hours in (1, 6, 11.9):
        monkeypatch.setattr(time, "time", lambda hours=hours: start + hours * 3600)
        assert admin.get("/admin/").status_code == 200, hours
    monkeypatch.setattr(time, "time", lambda: start + 12 * 3600 + 5)
    assert admin.get("/admin/").status_code == 302


def _counting_password_checks(monkeypatch) -> list:
    checks = []
    lock = threading.Lock()
    real = services.admin_accounts.check_password_hash

    def counted(stored, password):
        with lock:
            checks.append(password)
        return real(stored, password)

    monkeypatch.setattr(services.admin_accounts, "check_password_hash", counted)
    return checks


def _browser_at(shop, address: str) -> tuple[requests.Session, str]:
    """A browser behind the PaaS router at `address`, holding the login page's CSRF token."""
    browser = requests.Session()
    browser.headers["X-Forwarded-For"] = address
    page = browser.get(f"{shop.url}/admin/login", timeout=10)
    return browser, CSRF.search(page.text).group(1)


def _log_in(shop, browser, token, password):
    return browser.post(f"{shop.url}/admin/login", allow_redirects=False, timeout=30,
                        data={"email": EMAIL, "password": password, "csrf_token": token})


def test_racing_wrong_passwords_get_five_checks_and_the_owner_still_gets_in_elsewhere(
        make_shop, monkeypatch):
    shop = make_shop(TRUSTED_PROXY_HOPS=1)
    create_owner(shop.app)
    checks = _counting_password_checks(monkeypatch)
    attackers = [_browser_at(shop, ATTACKER) for _ in range(24)]
    barrier = threading.Barrier(len(attackers))
    answers = []

    def guess(browser, token, n):
        barrier.wait()
        answers.append(_log_in(shop, browser, token, f"guess {n}"))

    threads = [threading.Thread(target=guess, args=(*attacker, n))
               for n, attacker in enumerate(attackers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(checks) == 5
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [401] * 5 + [429] * 19
    assert all(58 <= int(a.headers["Retry-After"]) <= 60 for a in answers if a.status_code == 429)
    # Even the right password waits at the hammered address, and is not checked there...
    assert _log_in(shop, *_browser_at(shop, ATTACKER), PASSWORD).status_code == 429
    assert len(checks) == 5
    # ...but the owner, from another address, gets in.
    assert _log_in(shop, *_browser_at(shop, OWNER_ELSEWHERE), PASSWORD).status_code == 303


def test_without_a_trusted_proxy_a_client_cannot_pick_its_address(shop, owner):
    client = AdminClient(shop.app.test_client())
    for n in range(5):
        client.client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}"
        assert client.login(password="wrong password").status_code == 401
    client.client.environ_base["HTTP_X_FORWARDED_FOR"] = OWNER_ELSEWHERE
    assert client.login().status_code == 429


def test_many_addresses_together_hit_the_account_ceiling(shop, owner):
    shop.sql("INSERT INTO login_throttle (email, address, attempts, last_attempt_at, blocked_until)"
             " VALUES (%s, '*', 100, now(), now() + interval '15 minutes')", (EMAIL,))
    locked = AdminClient(shop.app.test_client()).login()
    assert locked.status_code == 429
    assert 890 <= int(locked.headers["Retry-After"]) <= 900


def _assert_security_headers(response, where):
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy, where
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "no-referrer", where


def test_every_back_office_page_sends_the_security_headers_and_has_no_inline_code(shop, admin):
    shop.add_product(1, stock=2)
    anonymous = shop.app.test_client()
    for where, response in [("login", anonymous.get("/admin/login")),
                            ("dashboard", admin.get("/admin/")),
                            ("product", admin.get("/admin/products/1")),
                            ("orders", admin.get("/admin/orders")),
                            ("missing", admin.get("/admin/no-such-page")),
                            ("api", anonymous.get("/admin/api/products"))]:
        _assert_security_headers(response, where)
        assert "Strict-Transport-Security" not in response.headers, where
        page = response.get_data(as_text=True)
        assert "<script" not in page and "<style" not in page and " style=" not in page, where
    with anonymous.get("/admin/static/admin.css") as stylesheet:
        assert stylesheet.status_code == 200
        _assert_security_headers(stylesheet, "stylesheet")


def test_hsts_is_sent_when_served_over_https(make_shop):
    shop = make_shop(TRUSTED_PROXY_HOPS=1)
    response = shop.app.test_client().get("/admin/login",
                                          headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    _assert_security_headers(response, "https login")


def test_an_unknown_api_path_answers_401_to_strangers_and_404_to_the_owner(shop, owner):
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    client = shop.app.test_client()
    for method in (client.get, client.post, client.delete):
        stranger = method("/admin/api/secret/things")
        assert stranger.status_code == 401
        assert stranger.json == {"message": "missing or invalid API token"}
        known = method("/admin/api/secret/things", headers={"Authorization": f"Bearer {token}"})
        assert known.status_code == 404
        assert known.json == {"message": "no such API endpoint"}


def test_tallies_quiet_for_a_day_are_dropped_by_later_logins(shop, owner):
    shop.sql("INSERT INTO login_throttle (email, address, attempts, last_attempt_at)"
             " VALUES ('made-up@x.tw', '192.0.2.9', 3, now() - interval '25 hours'),"
             " ('recent@x.tw', '192.0.2.9', 3, now() - interval '1 hour')")
    AdminClient(shop.app.test_client()).login(password="wrong password")
    left = {row["email"] for row in shop.sql("SELECT email FROM login_throttle")}
    assert left == {"recent@x.tw", EMAIL}
