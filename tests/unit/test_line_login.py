"""The ID token verifier asks LINE once per token, trusts only our channel, and stays bounded."""
import pytest
import requests
import responses

from handlers.line_login import IdTokenVerifier, LoginUnavailableError

LINE = "https://api.line.me"
VERIFY = f"{LINE}/oauth2/v2.1/verify"
NOW = 1_790_000_000


def verifier(**kwargs) -> IdTokenVerifier:
    return IdTokenVerifier(LINE, "2000000000", 3, clock=lambda: NOW, **kwargs)


def claims(sub="U1", aud="2000000000", exp=NOW + 600) -> dict:
    return {"iss": "https://access.line.me", "sub": sub, "aud": aud, "exp": exp, "iat": NOW}


@responses.activate
def test_line_is_asked_with_the_token_and_our_channel_then_the_answer_is_cached():
    responses.post(VERIFY, json=claims())
    check = verifier()
    assert [check.user_id("tok") for _ in range(3)] == ["U1"] * 3
    assert len(responses.calls) == 1
    assert responses.calls[0].request.body == "id_token=tok&client_id=2000000000"


@responses.activate
def test_a_cached_token_is_asked_again_once_it_has_expired():
    responses.post(VERIFY, json=claims(exp=NOW + 1))
    now = [NOW]
    check = IdTokenVerifier(LINE, "2000000000", 3, clock=lambda: now[0])
    check.user_id("tok")
    now[0] += 2
    assert check.user_id("tok") is None  # LINE's stale answer says it has expired too
    assert len(responses.calls) == 2


@pytest.mark.parametrize("answer", [
    {"status": 400, "json": {"error": "invalid_request", "error_description": "IdToken expired."}},
    {"json": claims(aud="1999")},
    {"json": claims(exp=NOW - 1)},
    {"json": {"aud": "2000000000", "exp": NOW + 60}},
])
@responses.activate
def test_refused_expired_or_foreign_tokens_belong_to_no_one(answer):
    responses.post(VERIFY, **answer)
    assert verifier().user_id("tok") is None


@pytest.mark.parametrize("answer", [{"status": 500, "json": {}}, {"status": 429, "json": {}},
                                    {"body": requests.ConnectionError("down")}, {"body": "<html>"}])
@responses.activate
def test_line_not_answering_is_not_the_shoppers_fault(answer):
    responses.post(VERIFY, **answer)
    with pytest.raises(LoginUnavailableError):
        verifier().user_id("tok")


@responses.activate
def test_the_cache_holds_at_most_its_size_dropping_the_oldest():
    responses.post(VERIFY, json=claims())
    check = verifier(cache_size=3)
    for i in range(10):
        check.user_id(f"tok{i}")
    assert check.cached_count() == 3
    check.user_id("tok9")
    check.user_id("tok0")
    assert len(responses.calls) == 11


def test_without_a_login_channel_nothing_is_verified():
    assert IdTokenVerifier(LINE, None, 3).user_id("tok") is None
