"""The /_emulator JSON API the chat page, tests and benchmarks use (Flask test client, no bot)."""

import pytest

from sandbox.line_emulator import LineState, create_line_emulator


@pytest.fixture
def emulator():
    state = LineState("secret", "token")
    yield state, create_line_emulator(state).test_client()
    state.close()


def test_default_shoppers_and_adding_one(emulator):
    state, client = emulator
    names = [u["displayName"] for u in client.get("/_emulator/api/users").json["users"]]
    created = client.post("/_emulator/api/users", json={"displayName": "阿美", "language": "en"})

    assert names == ["小明", "小華", "Alice"]
    assert created.status_code == 201 and created.json["following"] is False
    assert state.user(created.json["userId"]).language == "en"


def test_text_without_a_webhook_is_recorded_and_reported(emulator):
    state, client = emulator
    user_id = state.user_by_name("小明").user_id

    sent = client.post(f"/_emulator/api/users/{user_id}/text", json={"text": "NT$100 好"})
    page = client.get(f"/_emulator/api/users/{user_id}/messages?after=0").json

    assert sent.json["error"] == "no_webhook_url"
    assert page["total"] == 1 and page["messages"][0]["message"] == {"type": "text", "text": "NT$100 好"}


def test_reset_clears_conversations_and_counters_but_keeps_users(emulator):
    state, client = emulator
    user_id = state.user_by_name("小華").user_id
    state.record(user_id, "bot", {"type": "text", "text": "hi"}, "push")
    state.record_error(400, "/v2/bot/message/push", "x")

    client.post("/_emulator/reset")

    assert client.get(f"/_emulator/api/users/{user_id}/messages?after=1").json == {"messages": [], "total": 0}
    assert client.get("/_emulator/stats").json["errors"] == 0
    assert len(state.users()) == 3


def test_unknown_user_is_404(emulator):
    _, client = emulator
    assert client.post("/_emulator/api/users/U0/text", json={"text": "x"}).status_code == 404
