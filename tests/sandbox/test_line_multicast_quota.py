"""Multicast and the message quota: the emulator's strictness and our LineMessenger against it."""

import socket
import uuid

import pytest
import requests

from handlers.line_client import LineMessenger, Quota
from handlers.delivery import LineSendError

TOKEN = "test-channel-access-token"  # as in conftest.py

HELLO = [{"type": "text", "text": "新品上架：凍頂烏龍"}]


@pytest.fixture
def messenger(line):
    return LineMessenger(line.emulator_url, TOKEN, timeout=2.0)


def _multicast(line, to, messages=HELLO, key=None):
    headers = {"Authorization": f"Bearer {TOKEN}", **({"X-Line-Retry-Key": key} if key else {})}
    return requests.post(f"{line.emulator_url}/v2/bot/message/multicast",
                         json={"to": to, "messages": messages}, headers=headers, timeout=5)


def _seen(line, user_id) -> list[str]:
    """The bot's texts as the chat page lists them for this shopper."""
    page = requests.get(f"{line.emulator_url}/_emulator/api/users/{user_id}/messages",
                        timeout=5).json()
    return [(e["message"].get("text"), e["via"]) for e in page["messages"]
            if e["direction"] == "bot"]


def test_multicast_reaches_each_follower_and_counts_only_them(line, messenger):
    ming, hua, alice = (line.state.user_by_name(n).user_id for n in ("小明", "小華", "Alice"))
    line.state.set_following(hua, False)

    messenger.multicast([ming, hua, alice], HELLO, str(uuid.uuid4()))

    assert _seen(line, ming) == _seen(line, alice) == [("新品上架：凍頂烏龍", "multicast")]
    assert _seen(line, hua) == []
    assert messenger.quota() == Quota(limit=None, used=2)


def test_a_repeated_retry_key_is_409_with_the_accepted_request_id_and_nothing_resent(
        line, messenger):
    ming = line.state.user_by_name("小明").user_id
    key = str(uuid.uuid4())
    first = _multicast(line, [ming], key=key)
    again = _multicast(line, [ming], key=key)
    messenger.multicast([ming], HELLO, key)  # our client takes the 409 as "already sent"

    assert first.status_code == 200 and first.json() == {}
    assert again.status_code == 409
    assert again.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert again.json() == {"message": "The retry key is already accepted"}
    assert len(_seen(line, ming)) == 1
    assert messenger.quota().used == 1


@pytest.mark.parametrize("to, messages, message", [
    ([], HELLO, "The request body has 1 error(s)"),
    (["U" + "0" * 32] * 501, HELLO, "The request body has 1 error(s)"),
    (["U" + "0" * 32, "C" + "0" * 32], HELLO,
     "The property, to[1], in the request body is invalid"),
    (["U" + "0" * 32], HELLO * 6, "The request body has 1 error(s)"),
])
def test_multicast_is_held_to_lines_limits(line, to, messages, message):
    answer = _multicast(line, to, messages)
    assert answer.status_code == 400
    assert answer.json()["message"] == message


def test_our_client_refuses_more_than_500_ids_before_calling(line, messenger):
    with pytest.raises(ValueError):
        messenger.multicast(["U" + "0" * 32] * 501, HELLO, str(uuid.uuid4()))
    assert line.state.stats()["multicasts"] == 0


def test_quota_counts_pushes_and_multicast_recipients_but_not_replies(line, messenger):
    line.state.quota.limit = 1000
    users = [u.user_id for u in line.state.users()]
    messenger.push(users[0], HELLO, str(uuid.uuid4()))
    messenger.multicast(users, HELLO * 3, str(uuid.uuid4()))
    messenger.reply(line.state.issue_reply_token(users[1], int(line.clock() * 1000)), HELLO)

    assert messenger.quota() == Quota(limit=1000, used=1 + len(users))
    raw = requests.get(f"{line.emulator_url}/v2/bot/message/quota",
                       headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    assert raw.json() == {"type": "limited", "value": 1000}


def test_over_the_monthly_limit_nothing_is_sent(line, messenger):
    users = [u.user_id for u in line.state.users()]
    line.state.quota.limit = len(users) - 1
    with pytest.raises(LineSendError) as raised:
        messenger.multicast(users, HELLO, str(uuid.uuid4()))
    assert raised.value.status == 429 and "monthly limit" in str(raised.value.args)
    assert all(_seen(line, user_id) == [] for user_id in users)
    assert messenger.quota().used == 0


def test_quota_calls_time_out_instead_of_hanging():
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never answers
    try:
        slow = LineMessenger(f"http://127.0.0.1:{silent.getsockname()[1]}", TOKEN, timeout=0.3)
        with pytest.raises(LineSendError) as raised:
            slow.quota()
        assert raised.value.retry is True
    finally:
        silent.close()


def test_reset_forgets_the_use_but_keeps_the_limit(line, messenger):
    line.state.quota.limit = 50
    messenger.push(line.state.users()[0].user_id, HELLO, str(uuid.uuid4()))
    line.state.reset()
    assert messenger.quota() == Quota(limit=50, used=0)
