"""validate_messages: LINE's server-side limits, on the JSON the SDK produces."""

import json

from linebot.v3.messaging import (FlexContainer, FlexMessage, MessageAction, QuickReply, QuickReplyItem,
                                  TextMessage)

from sandbox.line_validator import validate_messages


def _props(messages):
    return [d["property"] for d in validate_messages(messages)]


def _buttons(**template):
    return {"type": "template", "altText": "選單", "template": {"type": "buttons", **template}}


def _action(label="買", **extra):
    return {"type": "message", "label": label, "text": "買", **extra}


def _bubble(*contents):
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": list(contents)}}


def test_sdk_serialised_messages_with_default_keys_are_valid():
    flex = FlexContainer.from_dict(_bubble({"type": "image", "url": "https://example.com/a.png"},
                                           {"type": "text", "text": "NT$1,280"}))
    messages = [json.loads(m.to_json()) for m in (
        TextMessage(text="你好", quick_reply=QuickReply(items=[QuickReplyItem(
            action=MessageAction(label="查看購物車", text="查看購物車"))])),
        FlexMessage(alt_text="商品", contents=flex))]

    assert messages[0]["quickReply"]["items"][0]["type"] == "action"
    assert validate_messages(messages) == []


def test_text_length_counts_utf16_units():
    assert validate_messages([{"type": "text", "text": "🍎" * 2500}]) == []
    assert validate_messages([{"type": "text", "text": "🍎" * 2501}]) == [
        {"message": "Length must be between 0 and 5000", "property": "messages[0].text"}]


def test_message_count_type_and_alt_text():
    assert _props([]) == ["messages"]
    assert _props([{"type": "text", "text": "x"}] * 6) == ["messages"]
    assert _props([{"type": "video"}]) == ["messages[0].type"]
    assert _props([{"type": "flex", "contents": _bubble()}]) == ["messages[0].altText"]


def test_buttons_template_limits():
    assert _props([_buttons(text="x" * 161, actions=[_action()])]) == ["messages[0].template.text"]
    assert _props([_buttons(title="t", text="x" * 61, actions=[_action()])]) == ["messages[0].template.text"]
    assert _props([_buttons(text="x", actions=[_action()] * 5)]) == ["messages[0].template.actions"]
    assert _props([_buttons(text="x", actions=[_action("一" * 21)])]) == ["messages[0].template.actions[0].label"]


def test_confirm_needs_exactly_two_actions_and_carousel_columns_match():
    confirm = {"type": "template", "altText": "a", "template": {"type": "confirm", "text": "確定？",
                                                               "actions": [_action()] * 3}}
    columns = [{"text": "a", "actions": [_action()]}, {"text": "b", "actions": [_action(), _action()]}]
    carousel = {"type": "template", "altText": "a", "template": {"type": "carousel", "columns": columns}}

    assert _props([confirm, carousel]) == ["messages[0].template.actions", "messages[1].template.columns"]


def test_action_data_and_uri_rules():
    postback = {"type": "postback", "label": "a", "data": "d" * 301}
    uri = {"type": "uri", "label": "a", "uri": "javascript:alert(1)"}
    assert _props([_buttons(text="x", actions=[postback, uri])]) == [
        "messages[0].template.actions[0].data", "messages[0].template.actions[1].uri"]


def test_quick_reply_item_limit():
    items = [{"type": "action", "action": _action()}] * 14
    assert _props([{"type": "text", "text": "x", "quickReply": {"items": items}}]) == ["messages[0].quickReply.items"]


def test_flex_limits():
    button = {"type": "button", "action": {"type": "postback", "label": "一" * 41, "data": "x"}}
    unknown = {"type": "table"}
    big_text = {"type": "text", "text": "x" * 31000}
    carousel = {"type": "carousel", "contents": [_bubble({"type": "text", "text": "a"})] * 13}

    assert _props([{"type": "flex", "altText": "a", "contents": _bubble(button, unknown)}]) == [
        "messages[0].contents.body.contents[0].action.label", "messages[0].contents.body.contents[1].type"]
    assert _props([{"type": "flex", "altText": "a", "contents": _bubble(big_text)}]) == ["messages[0].contents"]
    assert _props([{"type": "flex", "altText": "a", "contents": carousel}]) == ["messages[0].contents.contents"]
