"""Driving the sandbox's chat page in a browser test: type a message, tap a button."""
import re


def send(page, text: str) -> None:
    """Type `text` in the chat input and send it."""
    page.get_by_test_id("chat-input").fill(text)
    page.get_by_test_id("send-button").click()


def tap(page, label: str) -> None:
    """Tap the newest button whose label contains `label`."""
    page.get_by_role("button", name=re.compile(re.escape(label))).last.click()
