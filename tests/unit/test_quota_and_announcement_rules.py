"""The quota reserve, an announcement's verdict, batches of 500, and the reminder commands."""
import pytest

from config import ConfigError, load_settings
from handlers import chat_commands, postbacks
from models import quota
from models.announcement import batches
from tests.support.settings import settings_for

REQUIRED_ENV = settings_for(None, "http://l", "http://b", "http://p")


@pytest.mark.parametrize("limit, used, setting, room", [
    (1000, 0, "10%", 900), (1000, 850, "10%", 50), (1000, 950, "10%", 0), (1000, 1000, "10%", 0),
    (1000, 0, "0%", 1000), (1000, 0, "250", 750), (None, 10**6, "10%", None),
])
def test_room_for_reminders_and_announcements_keeps_the_reserve(limit, used, setting, room):
    assert quota.room(limit, used, setting) == room


def test_an_announcement_is_sent_held_or_refused_by_what_is_left():
    assert quota.announcement_status(80, 1000, 100, "10%") == ("sending", None)
    status, why = quota.announcement_status(850, 1000, 100, "10%")
    assert status == "held" and "100 則" in why
    assert quota.announcement_status(850, 1000, 0, "10%", queued=100)[0] == "held"
    with pytest.raises(ValueError, match="只剩 900 則"):
        quota.announcement_status(901, 1000, 100, "10%")
    assert quota.announcement_status(10**6, None, 0, "10%") == ("sending", None)


def test_batches_hold_at_most_500_ids_in_order():
    ids = [f"U{n:032x}" for n in range(1234)]
    cut = batches(ids)
    assert [len(batch) for batch in cut] == [500, 500, 234]
    assert sum(cut, []) == ids
    assert batches([]) == []


@pytest.mark.parametrize("raw", ["ten", "10.5%", "101%", "-1", "%"])
def test_a_quota_reserve_that_is_not_a_percentage_or_a_count_is_refused(raw):
    with pytest.raises(ConfigError, match="QUOTA_RESERVE"):
        load_settings({**REQUIRED_ENV, "QUOTA_RESERVE": raw}, environ={})


@pytest.mark.parametrize("text, on", [("cart reminders off", False), ("Cart  Reminders ON", True),
                                      ("購物車提醒 關", False), ("購物車提醒　開", True)])
def test_cart_reminders_are_turned_on_and_off_by_typing(text, on):
    assert chat_commands.parse(text) == chat_commands.CartReminders(on=on)


def test_the_reminder_buttons_parse_and_anything_else_is_a_bad_postback():
    assert postbacks.parse("action=cart_reminders&on=0") == chat_commands.CartReminders(on=False)
    assert postbacks.parse("action=reorder&order=7") == postbacks.Reorder(order_id=7)
    for data in ("action=cart_reminders&on=2", "action=cart_reminders", "action=reorder&order=x"):
        assert postbacks.parse(data) == postbacks.BadPostback()
