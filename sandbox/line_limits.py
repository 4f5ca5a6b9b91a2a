"""Every LINE Messaging API limit the emulator enforces, in one place.

Values follow ../shared/refs/line-platform.md §2 and §3 (LINE's Messaging API reference).
"""

# §2.1 request size and §2.3 reply token lifetime
MAX_REQUEST_BYTES = 2 * 1024 * 1024
REPLY_TOKEN_TTL_SECONDS = 60.0
REDELIVERED_TOKEN_MAX_AGE_SECONDS = 20 * 60.0
RETRY_KEY_TTL_SECONDS = 24 * 3600.0
WEBHOOK_TIMEOUT_SECONDS = 2.0

# §2.2 messages per request, multicast recipients
MIN_MESSAGES, MAX_MESSAGES = 1, 5
MAX_MULTICAST_TO = 500

# §3.1 common properties
MAX_QUICK_REPLY_ITEMS = 13
QUICK_REPLY_ACTION_TYPES = frozenset(
    {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location", "clipboard"}
)

# §3.2-3.3 message bodies (text in UTF-16 units, titles/texts of templates in grapheme clusters)
MESSAGE_TYPES = ("text", "image", "sticker", "template", "flex")
MAX_TEXT_UTF16 = 5000
MAX_ALT_TEXT = 1500
MAX_TEMPLATE_TITLE = 40
MAX_BUTTONS_TEXT = 160
MAX_BUTTONS_TEXT_WITH_IMAGE_OR_TITLE = 60
MAX_BUTTONS_ACTIONS = 4
MAX_CONFIRM_TEXT = 240
CONFIRM_ACTIONS = 2
MAX_CAROUSEL_COLUMNS = 10
MAX_CAROUSEL_TEXT = 120
MAX_CAROUSEL_TEXT_WITH_IMAGE_OR_TITLE = 60
MAX_CAROUSEL_ACTIONS = 3
MAX_IMAGE_CAROUSEL_LABEL = 12
MAX_URL_LENGTH = 2000

# §3.4 actions
ACTION_TYPES = frozenset(
    {"postback", "message", "uri", "datetimepicker", "camera", "cameraRoll", "location",
     "richmenuswitch", "clipboard"}
)
MAX_LABEL = 20
MAX_FLEX_LABEL = 40
MAX_ACTION_DATA = 300
MAX_ACTION_TEXT = 300
MAX_URI = 1000
URI_SCHEMES = ("http://", "https://", "line://", "tel:")
DATETIME_MODES = frozenset({"date", "time", "datetime"})

# §3.5 Flex
MAX_BUBBLE_BYTES = 30 * 1024
MAX_CAROUSEL_BYTES = 50 * 1024
MAX_CAROUSEL_BUBBLES = 12
BOX_LAYOUTS = frozenset({"horizontal", "vertical", "baseline"})
FLEX_COMPONENT_TYPES = frozenset(
    {"box", "text", "image", "button", "separator", "spacer", "filler", "icon", "span", "video"}
)
BASELINE_CHILD_TYPES = frozenset({"text", "icon", "filler", "spacer"})
BUBBLE_BLOCKS = ("header", "hero", "body", "footer")

# §6 rich menu
RICH_MENU_WIDTH = (800, 2500)
RICH_MENU_MIN_HEIGHT = 250
RICH_MENU_MIN_RATIO = 1.45
MAX_RICH_MENU_NAME = 300
MAX_CHAT_BAR_TEXT = 14
MAX_RICH_MENU_AREAS = 20
MAX_RICH_MENU_IMAGE_BYTES = 1024 * 1024
RICH_MENU_IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})
