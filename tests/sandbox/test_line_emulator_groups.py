"""Group, room and standby events from the emulator, as the real line-bot-sdk v3 reads them."""
from linebot.v3.messaging import MessagingApi, PushMessageRequest, TextMessage
from linebot.v3.webhooks import GroupSource, MessageEvent, PostbackEvent, RoomSource


def _bot_texts(state, chat_id):
    return [e["message"].get("text") for e in state.conversation(chat_id) if e["direction"] == "bot"]


def test_group_and_room_events_parse_with_their_sources_and_replies_reach_the_group(line):
    line.bot.reply_with = lambda e: [TextMessage(text="請一對一聊天")]
    member = line.state.user_by_name("小明")
    group, room = line.state.add_group("group"), line.state.add_group("room")

    assert line.state.webhook.send_in_group(group, member.user_id, text="結帳").ok
    assert line.state.webhook.send_in_group(room, None, data="action=buy").ok

    in_group, in_room = line.bot.events
    assert isinstance(in_group, MessageEvent) and isinstance(in_group.source, GroupSource)
    assert in_group.source.group_id == group and in_group.source.user_id == member.user_id
    assert isinstance(in_room, PostbackEvent) and isinstance(in_room.source, RoomSource)
    assert in_room.source.room_id == room and in_room.source.user_id is None
    assert _bot_texts(line.state, group) == ["請一對一聊天"]
    assert _bot_texts(line.state, room) == ["請一對一聊天"]
    assert _bot_texts(line.state, member.user_id) == []


def test_a_standby_event_carries_no_reply_token(line):
    shopper = line.state.user_by_name("小華")
    assert line.state.webhook.send_standby_text(shopper.user_id, "cart 1 2").ok
    event = line.bot.events[0]
    assert isinstance(event, MessageEvent) and event.mode.value == "standby"
    assert event.reply_token is None


def test_push_to_a_group_lands_in_its_conversation(line):
    group = line.state.add_group()
    with line.api() as client:
        MessagingApi(client).push_message(PushMessageRequest(
            to=group, messages=[TextMessage(text="嗨")]), _request_timeout=5)
    assert _bot_texts(line.state, group) == ["嗨"]
