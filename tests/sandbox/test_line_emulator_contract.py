"""The real line-bot-sdk v3 against the emulator over loopback HTTP."""

import json
import uuid

import pytest
import requests
from linebot.v3.messaging import (ApiException, ButtonsTemplate, ErrorResponse, MessageAction,
                                  MessagingApi, MessagingApiBlob, PostbackAction, PushMessageRequest,
                                  ReplyMessageRequest, RichMenuArea, RichMenuBounds, RichMenuRequest,
                                  RichMenuSize, TemplateMessage, TextMessage)
from linebot.v3.webhooks import (FollowEvent, MessageEvent, PostbackEvent, TextMessageContent,
                                 UnfollowEvent)

from sandbox.line_webhook_sender import sign


def _error(exc: ApiException) -> ErrorResponse:
    return ErrorResponse.from_json(exc.body)


def _bot_texts(state, user_id):
    return [e["message"].get("text") for e in state.conversation(user_id) if e["direction"] == "bot"]


def test_signature_matches_the_official_vector():
    body = b'{"destination":"U8e742f61d673b39c7fff3cecb7536ef0","events":[]}'
    assert sign("8c570fa6dd201bb328f1c1eac23a96d8", body) == "GhRKmvmHys4Pi8DxkF4+EayaH0OqtJtaZxgTD9fMDLs="


def test_text_event_parses_as_message_event_and_the_reply_lands_in_the_conversation(line):
    line.bot.reply_with = lambda e: [TextMessage(text=f"你說：{e.message.text} NT$1,280")]
    shopper = line.state.user_by_name("小明")

    delivery = line.state.webhook.send_text(shopper.user_id, "你好")

    assert delivery.status == 200 and delivery.ok
    event = line.bot.events[0]
    assert isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent)
    assert event.message.text == "你好" and event.message.quote_token
    assert event.delivery_context.is_redelivery is False
    assert len(event.webhook_event_id) == 26 and len(event.reply_token) == 32
    assert _bot_texts(line.state, shopper.user_id) == ["你說：你好 NT$1,280"]
    assert line.state.conversation(shopper.user_id)[-1]["via"] == "reply"
    assert line.state.stats()["replies"] == 1


def test_follow_unfollow_and_postback_parse_as_their_sdk_events(line):
    shopper = line.state.user_by_name("小華")

    line.state.webhook.send_follow(shopper.user_id)
    line.state.webhook.send_unfollow(shopper.user_id)
    line.state.webhook.send_follow(shopper.user_id)
    line.state.webhook.send_postback(shopper.user_id, "action=buy&item=3", {"date": "2026-12-01"})

    first_follow, unfollow, refollow, postback = line.bot.events
    assert isinstance(first_follow, FollowEvent) and first_follow.follow.is_unblocked is False
    assert isinstance(unfollow, UnfollowEvent) and getattr(unfollow, "reply_token", None) is None
    assert isinstance(refollow, FollowEvent) and refollow.follow.is_unblocked is True
    assert isinstance(postback, PostbackEvent)
    assert postback.postback.data == "action=buy&item=3" and postback.postback.params == {"date": "2026-12-01"}


def test_verify_sends_empty_events_and_the_bot_answers_200(line):
    assert line.state.webhook.send_verify().status == 200
    assert line.bot.events == []


def test_redelivery_repeats_the_event_with_is_redelivery_true(line):
    shopper = line.state.user_by_name("小明")
    first = line.state.webhook.send_text(shopper.user_id, "再送一次")

    again = line.state.webhook.redeliver(first.event["webhookEventId"])

    assert again.status == 200
    original, redelivered = line.bot.events
    assert redelivered.webhook_event_id == original.webhook_event_id
    assert redelivered.reply_token == original.reply_token
    assert redelivered.timestamp == original.timestamp
    assert redelivered.delivery_context.is_redelivery is True


def test_a_reply_token_works_once(line):
    line.bot.reply_with = lambda e: [TextMessage(text="第一次")]
    shopper = line.state.user_by_name("小明")
    line.state.webhook.send_text(shopper.user_id, "hi")
    token = line.bot.events[0].reply_token

    with line.api() as client, pytest.raises(ApiException) as raised:
        MessagingApi(client).reply_message(
            ReplyMessageRequest(reply_token=token, messages=[TextMessage(text="第二次")]), _request_timeout=5)

    assert raised.value.status == 400
    assert _error(raised.value).message == "Invalid reply token"
    assert raised.value.headers["x-line-request-id"]
    assert _bot_texts(line.state, shopper.user_id) == ["第一次"]


def test_an_expired_reply_token_is_rejected(line):
    shopper = line.state.user_by_name("小明")
    line.state.webhook.send_text(shopper.user_id, "slow")
    line.clock.now += 61

    with line.api() as client, pytest.raises(ApiException) as raised:
        MessagingApi(client).reply_message(ReplyMessageRequest(
            reply_token=line.bot.events[0].reply_token, messages=[TextMessage(text="late")]), _request_timeout=5)

    assert raised.value.status == 400 and _error(raised.value).message == "Invalid reply token"


def test_push_with_a_repeated_retry_key_is_a_409_with_the_accepted_request_id(line):
    shopper = line.state.user_by_name("Alice")
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=shopper.user_id, messages=[TextMessage(text="Your order shipped")])

    with line.api() as client:
        api = MessagingApi(client)
        first = api.push_message_with_http_info(request, x_line_retry_key=key, _request_timeout=5)
        with pytest.raises(ApiException) as raised:
            api.push_message(request, x_line_retry_key=key, _request_timeout=5)

    assert raised.value.status == 409
    assert raised.value.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    error = _error(raised.value)
    assert error.message == "The retry key is already accepted"
    assert error.sent_messages[0].id == first.data.sent_messages[0].id
    assert _bot_texts(line.state, shopper.user_id) == ["Your order shipped"]


def test_push_to_an_unknown_user_fails_and_to_a_blocked_user_is_silently_dropped(line):
    shopper = line.state.user_by_name("小華")
    line.state.webhook.send_unfollow(shopper.user_id)

    with line.api() as client:
        api = MessagingApi(client)
        with pytest.raises(ApiException) as raised:
            api.push_message(PushMessageRequest(to="U" + "0" * 32, messages=[TextMessage(text="x")]))
        api.push_message(PushMessageRequest(to=shopper.user_id, messages=[TextMessage(text="hidden")]))

    assert raised.value.status == 400 and _error(raised.value).message == "Failed to send messages"
    assert _bot_texts(line.state, shopper.user_id) == []
    assert line.state.stats()["undelivered"] == 1


def test_a_wrong_access_token_is_401(line):
    with line.api(token="wrong") as client, pytest.raises(ApiException) as raised:
        MessagingApi(client).get_profile(line.state.user_by_name("小明").user_id)

    assert raised.value.status == 401
    assert _error(raised.value).message.startswith("Authentication failed.")


def test_profile_and_loading_animation(line):
    shopper = line.state.user_by_name("Alice")
    with line.api() as client:
        api = MessagingApi(client)
        profile = api.get_profile(shopper.user_id)
        status = api.show_loading_animation_with_http_info({"chatId": shopper.user_id, "loadingSeconds": 5}).status_code
        with pytest.raises(ApiException) as raised:
            api.get_profile("U" + "f" * 32)

    assert (profile.display_name, profile.language) == ("Alice", "en")
    assert status == 202
    assert [(e["chatId"], e["loadingSeconds"]) for e in line.state.loading_started] == \
        [(shopper.user_id, 5)]
    assert raised.value.status == 404 and _error(raised.value).message == "Not found"


def test_messages_the_sdk_lets_through_are_rejected_with_details(line):
    shopper = line.state.user_by_name("小明")
    long_label = TemplateMessage(alt_text="選單", template=ButtonsTemplate(
        text="請選擇", actions=[MessageAction(label="這是一個超過二十個字的按鈕標籤文字喔喔喔喔", text="x")]))

    with line.api() as client:
        api = MessagingApi(client)
        details = []
        for message in (TextMessage(text="字" * 5001), long_label):
            with pytest.raises(ApiException) as raised:
                api.push_message(PushMessageRequest(to=shopper.user_id, messages=[message]))
            assert raised.value.status == 400
            details.append(_error(raised.value).details[0].var_property)

    assert details == ["messages[0].text", "messages[0].template.actions[0].label"]


def test_six_messages_are_rejected(line):
    # SDK 3.27 refuses 6 messages client-side (pydantic), so post the raw JSON.
    shopper = line.state.user_by_name("小明")
    body = {"to": shopper.user_id, "messages": [{"type": "text", "text": str(i)} for i in range(6)]}

    response = requests.post(f"{line.emulator_url}/v2/bot/message/push", json=body,
                             headers={"Authorization": f"Bearer {line.state.access_token}"}, timeout=5)

    assert response.status_code == 400
    assert response.json() == {"message": "The request body has 1 error(s)",
                               "details": [{"message": "Size must be between 1 and 5", "property": "messages"}]}


def test_bodies_over_2_mb_are_413(line):
    response = requests.post(f"{line.emulator_url}/v2/bot/message/push", data=b"x" * (2 * 1024 * 1024 + 1),
                             headers={"Authorization": f"Bearer {line.state.access_token}",
                                      "Content-Type": "application/json"},
                             timeout=5)

    assert response.status_code == 413
    assert response.headers["X-Line-Request-Id"]


def test_rich_menu_create_upload_once_and_set_default(line, make_png):
    menu = RichMenuRequest(size=RichMenuSize(width=2500, height=843), selected=True, name="shop",
                           chat_bar_text="選單", areas=[RichMenuArea(
                               bounds=RichMenuBounds(x=0, y=0, width=1250, height=843),
                               action=PostbackAction(label="購物車", data="action=cart"))])
    with line.api() as client:
        api, blob = MessagingApi(client), MessagingApiBlob(client)
        rich_menu_id = api.create_rich_menu(menu).rich_menu_id
        with pytest.raises(ApiException) as no_image:
            api.set_default_rich_menu(rich_menu_id)
        with pytest.raises(ApiException) as gif:
            blob.set_rich_menu_image(rich_menu_id, body=bytearray(b"GIF89a"), _headers={"Content-Type": "image/gif"})
        png = {"body": bytearray(make_png(2500, 843)), "_headers": {"Content-Type": "image/png"}}
        blob.set_rich_menu_image(rich_menu_id, **png)
        with pytest.raises(ApiException) as twice:
            blob.set_rich_menu_image(rich_menu_id, **png)
        api.set_default_rich_menu(rich_menu_id)
        default_id = api.get_default_rich_menu_id().rich_menu_id

    assert no_image.value.status == 400
    assert _error(no_image.value).message == "must upload richmenu image before applying it to user"
    assert gif.value.status == 415
    assert _error(twice.value).message == "An image has already been uploaded to the richmenu"
    assert default_id == rich_menu_id == line.state.default_rich_menu_id


def test_a_rich_menu_with_a_long_chat_bar_text_is_rejected(line):
    body = {"size": {"width": 2500, "height": 843}, "selected": False, "name": "m",
            "chatBarText": "一二三四五六七八九十一二三四五", "areas": []}
    response = requests.post(f"{line.emulator_url}/v2/bot/richmenu", data=json.dumps(body),
                             headers={"Authorization": f"Bearer {line.state.access_token}"}, timeout=5)

    assert response.status_code == 400
    assert response.json()["details"] == [{"message": "Length must be between 0 and 14", "property": "chatBarText"}]


@pytest.mark.parametrize("body", [{"loadingSeconds": 5}, {"chatId": "C" + "0" * 32},
                                  {"chatId": None, "loadingSeconds": 7},
                                  {"chatId": None, "loadingSeconds": 65},
                                  {"chatId": None, "loadingSeconds": "10"},
                                  {"chatId": None, "loadingSeconds": True}])
def test_loading_animation_is_validated_like_line(line, body):
    shopper = line.state.user_by_name("Alice")
    if body.get("chatId", "") is None:
        body = {**body, "chatId": shopper.user_id}
    response = requests.post(f"{line.emulator_url}/v2/bot/chat/loading/start", json=body,
                             headers={"Authorization": f"Bearer {line.state.access_token}"},
                             timeout=5)
    assert response.status_code == 400 and line.state.loading_started == []
