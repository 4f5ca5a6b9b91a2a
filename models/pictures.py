"""Pictures drawn with Pillow: the rich menu image and placeholder product images."""
import colorsys
import io
import os
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

# Debian's fonts-noto-cjk first, then other common CJK fonts; Pillow's own font if none.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
# Noto Sans CJK collections index their faces JP, KR, SC, TC, HK: 3 draws Traditional Chinese.
TC_FACE = 3
RICH_MENU_SIZE = (2500, 843)
PLACEHOLDER_SIZE = (600, 450)
MENU_COLORS = ("#06C755", "#04A846", "#03923C", "#027A32")


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.ImageFont:
    """A CJK-capable font at `size` px, or Pillow's default font when none is installed."""
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            for index in (TC_FACE, 0):
                try:
                    return ImageFont.truetype(path, size, index=index)
                except OSError:
                    continue
    return ImageFont.load_default(size)


def _centered(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], text: str,
              size: int, fill: str) -> None:
    face = font(size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    x = box[0] + (box[2] - box[0] - (right - left)) // 2 - left
    y = box[1] + (box[3] - box[1] - (bottom - top)) // 2 - top
    draw.text((x, y), text, font=face, fill=fill)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def rich_menu_png(labels: list[tuple[str, str]], size: tuple[int, int] = RICH_MENU_SIZE) -> bytes:
    """Equal columns, one per (label, sub-label), on green tiles; a PNG well under 1 MB."""
    width, height = size
    image = Image.new("RGB", size, "#FFFFFF")
    draw = ImageDraw.Draw(image)
    column = width // len(labels)
    for i, (label, sub_label) in enumerate(labels):
        box = (i * column, 0, (i + 1) * column if i < len(labels) - 1 else width, height)
        draw.rectangle(box, fill=MENU_COLORS[i % len(MENU_COLORS)])
        if i:
            draw.line((box[0], 60, box[0], height - 60), fill="#FFFFFF", width=4)
        _centered(draw, (box[0], 0, box[2], height * 11 // 20), label, height // 5, "#FFFFFF")
        _centered(draw, (box[0], height * 11 // 20, box[2], height * 3 // 4), sub_label,
                  height // 12, "#E8FFF0")
    return _png(image)


def _color_for(product_id: int) -> str:
    red, green, blue = colorsys.hls_to_rgb((product_id * 0.137) % 1.0, 0.55, 0.55)
    return "#{:02X}{:02X}{:02X}".format(int(red * 255), int(green * 255), int(blue * 255))


def _wrap(text: str, per_line: int, lines: int) -> list[str]:
    rows = [text[i:i + per_line] for i in range(0, len(text), per_line)][:lines]
    if len(text) > per_line * lines:
        rows[-1] = rows[-1][:-1] + "…"
    return rows


@lru_cache(maxsize=256)
def product_placeholder_png(product_id: int, name: str) -> bytes:
    """A colored 4:3 tile with the product's name: a stand-in until the shop has photos."""
    width, height = PLACEHOLDER_SIZE
    image = Image.new("RGB", PLACEHOLDER_SIZE, _color_for(product_id))
    draw = ImageDraw.Draw(image)
    rows = _wrap(name, 8, 3)
    line_height = 76
    top = (height - line_height * len(rows)) // 2
    for i, row in enumerate(rows):
        _centered(draw, (0, top + i * line_height, width, top + (i + 1) * line_height), row, 60,
                  "#FFFFFF")
    _centered(draw, (0, height - 70, width, height - 20), f"#{product_id}", 30, "#FFFFFFCC")
    return _png(image)
