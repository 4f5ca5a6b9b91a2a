"""The emulator plays LINE Login and LIFF: ID tokens, their verification, opening LIFF links."""
from urllib.parse import parse_qs, urlsplit

import requests

from tests.support.settings import EMULATOR_TOKEN as TOKEN

LIFF_ENDPOINT = "http://127.0.0.1:9/liff/"


def verify(line, id_token, client_id="2000000000") -> requests.Response:
    return requests.post(f"{line.emulator_url}/oauth2/v2.1/verify",
                         data={"id_token": id_token, "client_id": client_id}, timeout=5)


def test_a_shoppers_id_token_verifies_to_their_user_id(line):
    user = line.state.add_user("小明")
    answer = verify(line, line.state.login.issue_id_token(user.user_id, "小明"))
    assert answer.status_code == 200
    claims = answer.json()
    assert (claims["iss"], claims["sub"], claims["aud"], claims["name"]) == (
        "https://access.line.me", user.user_id, "2000000000", "小明")
    assert claims["exp"] == int(line.clock.now) + 3600


def test_bad_expired_and_foreign_tokens_get_lines_errors(line):
    user = line.state.add_user("小明")
    login = line.state.login
    good = login.issue_id_token(user.user_id, "小明")
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    cases = {tampered: "Invalid IdToken.", "garbage": "Invalid IdToken.",
             login.issue_id_token(user.user_id, "小明", lifetime=-1): "IdToken expired."}
    for token, description in cases.items():
        answer = verify(line, token)
        assert (answer.status_code, answer.json()) == (
            400, {"error": "invalid_request", "error_description": description})
    assert verify(line, good, client_id="1999").json()["error_description"] == \
        "Invalid IdToken Audience."
    line.clock.now += 3601
    assert verify(line, good).json()["error_description"] == "IdToken expired."
    missing = requests.post(f"{line.emulator_url}/oauth2/v2.1/verify", data={}, timeout=5)
    assert missing.status_code == 400


def test_a_liff_link_opens_the_endpoint_with_the_path_in_liff_state(line):
    user = line.state.add_user("Alice", "en")
    liff_id = line.state.login.add_liff_app(LIFF_ENDPOINT)
    opened = requests.post(f"{line.emulator_url}/_emulator/api/users/{user.user_id}/liff",
                           json={"url": f"https://liff.line.me/{liff_id}/orders/42"}, timeout=5)
    url = urlsplit(opened.json()["url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == LIFF_ENDPOINT
    assert parse_qs(url.query) == {"liff.state": ["/orders/42"]}
    fragment = parse_qs(url.fragment)
    assert fragment["liff.lang"] == ["en"] and fragment["liff.id"] == [liff_id]
    assert verify(line, fragment["liff.id_token"][0]).json()["sub"] == user.user_id
    home = requests.post(f"{line.emulator_url}/_emulator/api/users/{user.user_id}/liff",
                         json={"url": f"https://liff.line.me/{liff_id}"}, timeout=5)
    assert urlsplit(home.json()["url"]).query == ""
    unknown = requests.post(f"{line.emulator_url}/_emulator/api/users/{user.user_id}/liff",
                            json={"url": "https://liff.line.me/123-nope/"}, timeout=5)
    assert unknown.status_code == 404


def test_the_liff_sdk_stand_in_is_served_as_javascript(line):
    answer = requests.get(f"{line.emulator_url}/liff/sdk.js", timeout=5)
    assert answer.headers["Content-Type"].startswith("text/javascript")
    for name in ("init", "getIDToken", "getProfile", "isInClient", "closeWindow", "getLanguage"):
        assert f"{name}" in answer.text


def _push_image(line, url: str) -> requests.Response:
    user = line.state.add_user("小明")
    bubble = {"type": "bubble", "hero": {"type": "image", "url": url},
              "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": "茶"}]}}
    return requests.post(f"{line.emulator_url}/v2/bot/message/push", timeout=5,
                         headers={"Authorization": f"Bearer {TOKEN}"},
                         json={"to": user.user_id, "messages": [
                             {"type": "flex", "altText": "茶", "contents": bubble}]})


def test_http_pictures_are_refused_like_line_unless_the_sandbox_allows_loopback(line):
    assert _push_image(line, "http://127.0.0.1:8000/static/products/1.png").status_code == 400
    line.state.http_on_loopback = True
    assert _push_image(line, "http://127.0.0.1:8000/static/products/1.png").status_code == 200
    assert _push_image(line, "http://shop.example.com/1.png").status_code == 400
