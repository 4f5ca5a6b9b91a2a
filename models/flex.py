"""Flex cards the shopper taps: product carousel, product detail, cart, order (LINE §3.5 limits)."""
from dataclasses import dataclass
from datetime import datetime

from models.order import TAIPEI, Totals
from models.records import CartLine, Coupon, Product, Recipient
from models.texts import t

# A carousel holds 12 bubbles; 10 products leave room for the paging bubble.
PAGE_SIZE = 10
# Lines with − / + / remove buttons in the cart card; the rest are listed compactly, so the
# bubble stays far below LINE's 30 KB.
CART_BUTTON_LINES = 10
CART_TEXT_LINES = 30
ALT_LIMIT = 1500
GREEN = "#06C755"
GREY = "#8C8C8C"
FADED = "#B5B5B5"
RED = "#E5484D"


@dataclass(frozen=True)
class Links:
    """Where cards may send the shopper: the shop page inside LINE (when LIFF is set up), and
    whether http:// pictures may be shown (the sandbox only: LINE itself requires https)."""
    liff_id: str | None = None
    http_images: bool = False

    def page(self, path: str = "") -> str | None:
        """`https://liff.line.me/{LIFF_ID}/<path>`, which LINE opens at our /liff/<path>."""
        if not self.liff_id:
            return None
        return f"https://liff.line.me/{self.liff_id}/{path.lstrip('/')}".rstrip("/")


NO_LINKS = Links()


def coupon_offer(coupon: Coupon, language: str | None) -> str:
    """'NT$50 off' / '10% off' in the shopper's language."""
    return t(f"coupon_{coupon.kind}", language, value=coupon.value)


def postback(label: str, data: str, display: str | None = None) -> dict:
    action = {"type": "postback", "label": label[:20], "data": data}
    if display:
        action["displayText"] = display[:300]
    return action


def _text(value: str, **style) -> dict:
    return {"type": "text", "text": value or " ", "wrap": True, **style}


def _row(left: str, right: str, color: str = GREY, **right_style) -> dict:
    """A label on the left, an amount on the right (dark unless `color` says otherwise)."""
    right_color = "#111111" if color == GREY else color
    return {"type": "box", "layout": "horizontal", "contents": [
        _text(left, flex=3, size="sm", color=color),
        _text(right, flex=2, size="sm", align="end", color=right_color, **right_style)]}


def _button(action: dict, style: str = "primary", **extra) -> dict:
    return {"type": "button", "action": action, "style": style, "height": "sm",
            **({"color": GREEN} if style == "primary" else {}), **extra}


def _hero(product_image: str | None, links: Links) -> dict | None:
    # LINE rejects the whole message for one non-HTTPS image, so such URLs are left out.
    schemes = ("https://", "http://") if links.http_images else ("https://",)
    if not product_image or not product_image.startswith(schemes):
        return None
    return {"type": "image", "url": product_image, "size": "full", "aspectRatio": "4:3",
            "aspectMode": "cover"}


def _bubble(body: list[dict], footer: list[dict] | None = None, hero: dict | None = None,
            size: str = "kilo", header: list[dict] | None = None) -> dict:
    bubble = {"type": "bubble", "size": size}
    if header:
        bubble["header"] = {"type": "box", "layout": "vertical", "contents": header,
                            "backgroundColor": "#F5F5F5"}
    if hero:
        bubble["hero"] = hero
    bubble["body"] = {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body}
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "sm",
                            "contents": footer}
    return bubble


def _stock(product: Product, language: str | None) -> dict:
    if product.stock > 0:
        return _text(t("stock_left", language, stock=product.stock), size="xs", color=GREY)
    return _text(t("sold_out_label", language), size="sm", color=RED, weight="bold")


def _add_button(product: Product, language: str | None) -> dict:
    return _button(postback(t("button_add", language), f"action=add&product={product.id}",
                            t("say_add", language, name=product.name)))


def _detail_action(product: Product, language: str | None, links: Links) -> dict:
    """Details open the product on the shop page when LIFF is set up, else its chat card."""
    page = links.page(f"products/{product.id}")
    if page:
        return {"type": "uri", "label": t("button_detail", language)[:20], "uri": page}
    return postback(t("button_detail", language), f"action=detail&product={product.id}",
                    t("say_detail", language, name=product.name))


def product_bubble(product: Product, language: str | None, links: Links = NO_LINKS) -> dict:
    """One product card: picture (when it has one), name, price, stock, add + details."""
    footer = [_add_button(product, language)] if product.stock > 0 else []
    footer.append(_button(_detail_action(product, language, links), "secondary"))
    return _bubble([
        _text(product.name, weight="bold", size="md", maxLines=2),
        _text(t("price", language, price=product.price), weight="bold", color=GREEN, size="lg"),
        _stock(product, language),
    ], footer, _hero(product.image_url, links))


def _page_bubble(page: int, pages: int, count: int, language: str | None) -> dict:
    footer = []
    if page < pages:
        footer.append(_button(postback(t("button_next_page", language),
                                       f"action=products&page={page + 1}",
                                       t("say_page", language, page=page + 1))))
    if page > 1:
        footer.append(_button(postback(t("button_prev_page", language),
                                       f"action=products&page={page - 1}",
                                       t("say_page", language, page=page - 1)), "secondary"))
    remaining = count - page * PAGE_SIZE
    body = [_text(t("products_page", language, page=page, pages=pages, count=count),
                  size="sm", color=GREY)]
    if remaining > 0:
        body.append(_text(t("products_more", language, count=remaining), weight="bold"))
    return _bubble(body, footer)


def product_carousel(products: list[Product], page: int, language: str | None,
                     links: Links = NO_LINKS) -> dict:
    """Page `page` (clamped) of the catalog as a Flex carousel, with a paging bubble if needed."""
    pages = max(1, -(-len(products) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = products[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    bubbles = [product_bubble(product, language, links) for product in shown]
    if pages > 1:
        bubbles.append(_page_bubble(page, pages, len(products), language))
    names = "、".join(product.name for product in shown)
    alt = t("products_alt", language, page=page, pages=pages, names=names)
    return {"type": "flex", "altText": alt[:ALT_LIMIT],
            "contents": {"type": "carousel", "contents": bubbles}}


def product_detail(product: Product, in_cart: int, language: str | None,
                   links: Links = NO_LINKS) -> dict:
    """A product's own card, with its description."""
    body = [_text(product.name, weight="bold", size="xl"),
            _text(t("price", language, price=product.price), weight="bold", color=GREEN, size="lg"),
            _stock(product, language)]
    if product.description:
        body.append(_text(product.description[:1000], size="sm", margin="md"))
    if in_cart:
        body.append(_text(t("in_cart", language, quantity=in_cart), size="xs", color=GREY))
    footer = [_add_button(product, language)] if product.stock > 0 else []
    footer.append(_button(postback(t("button_cart", language), "action=cart",
                                   t("say_cart", language)), "secondary"))
    footer.append(_button(postback(t("button_back_to_products", language), "action=products",
                                   t("say_products", language)), "link"))
    alt = t("product_alt", language, name=product.name, price=product.price)
    return {"type": "flex", "altText": alt[:ALT_LIMIT],
            "contents": _bubble(body, footer, _hero(product.image_url, links), size="mega")}


def _cart_line(line: CartLine, language: str | None) -> dict:
    pid = line.product_id
    remove = _button(postback(t("button_remove", language), f"action=remove&product={pid}"),
                     "link", flex=2)
    if not line.active:
        # Taken off sale: greyed, not counted in the total, and it can only be removed.
        return {"type": "box", "layout": "vertical", "spacing": "xs", "margin": "md", "contents": [
            _text(line.name, weight="bold", size="sm", color=FADED, decoration="line-through"),
            _row(t("unavailable_label", language),
                 t("cart_line_qty", language, price=line.price, quantity=line.quantity),
                 color=FADED),
            {"type": "box", "layout": "horizontal", "contents": [remove]},
        ]}
    controls = [
        _button(postback("−", f"action=dec&product={pid}"), "secondary", flex=1),
        _button(postback("+", f"action=inc&product={pid}"), "secondary", flex=1),
        remove,
    ]
    return {"type": "box", "layout": "vertical", "spacing": "xs", "margin": "md", "contents": [
        _text(line.name, weight="bold", size="sm"),
        _row(t("cart_line_qty", language, price=line.price, quantity=line.quantity),
             t("price", language, price=line.amount)),
        {"type": "box", "layout": "horizontal", "spacing": "sm", "contents": controls},
    ]}


def _coupon_rows(totals: Totals, coupon: Coupon | None, language: str | None) -> list[dict]:
    """The coupon's line in the cart: its discount, or how much more to spend for it."""
    if totals.discount:
        return [_row(f"{t('coupon_label', language)} {coupon_offer(coupon, language)}",
                     f"−{t('price', language, price=totals.discount)}", color=RED)]
    if totals.spend_more:
        return [_text(t("coupon_needs_more", language, more=totals.spend_more,
                        offer=coupon_offer(coupon, language)), size="xs", color=GREY)]
    return []


def cart_card(lines: list[CartLine], totals: Totals, coupon: Coupon | None,
              language: str | None) -> dict:
    """The cart: each line with − / + / remove, subtotal, coupon, total and the order button."""
    body = [_text(t("cart_title", language), weight="bold", size="lg")]
    body += [_cart_line(line, language) for line in lines[:CART_BUTTON_LINES]]
    rest = lines[CART_BUTTON_LINES:]
    for line in rest[:CART_TEXT_LINES]:
        amount = t("price", language, price=line.amount) if line.active else \
            t("unavailable_label", language)
        body.append(_row(f"{line.name} × {line.quantity}", amount))
    if len(rest) > CART_TEXT_LINES:
        body.append(_text(t("cart_more_lines", language, count=len(rest) - CART_TEXT_LINES),
                          size="xs", color=GREY))
    body += [{"type": "separator", "margin": "lg"},
             _row(t("cart_subtotal", language), t("price", language, price=totals.subtotal))]
    body += _coupon_rows(totals, coupon, language)
    body.append({"type": "box", "layout": "horizontal", "contents": [
        _text(t("cart_total_label", language), weight="bold", flex=3),
        _text(t("price", language, price=totals.total), weight="bold", color=GREEN,
              align="end", flex=2, size="lg")]})
    footer = [_button(postback(t("button_checkout", language), "action=buy",
                               t("button_checkout", language)))]
    alt = t("cart_alt", language, count=len(lines), total=totals.total)
    return {"type": "flex", "altText": alt[:ALT_LIMIT],
            "contents": _bubble(body, footer, size="mega")}


def order_card(order_id: int, lines: list[CartLine], totals: Totals,
               recipient: Recipient | None, expires_at: datetime, pay_actions: list[dict],
               language: str | None) -> dict:
    """A new order: what was ordered, the discount, where it goes, and how to pay."""
    body = [_text(t("order_title", language, order_id=order_id), weight="bold", size="lg")]
    for line in lines[:CART_TEXT_LINES]:
        body.append(_row(f"{line.name} × {line.quantity}", t("price", language, price=line.amount)))
    if len(lines) > CART_TEXT_LINES:
        body.append(_text(t("cart_more_lines", language, count=len(lines) - CART_TEXT_LINES),
                          size="xs", color=GREY))
    body += [{"type": "separator", "margin": "md"},
             _row(t("cart_subtotal", language), t("price", language, price=totals.subtotal))]
    if totals.discount:
        body.append(_row(t("coupon_label", language),
                         f"−{t('price', language, price=totals.discount)}", color=RED))
    body.append(_row(t("cart_total_label", language), t("price", language, price=totals.total),
                     weight="bold"))
    if recipient:
        body.append(_text(t("order_ship_to", language, name=recipient.name,
                            phone=recipient.phone, address=recipient.address),
                          size="xs", color=GREY, margin="md"))
    deadline = expires_at.astimezone(TAIPEI).strftime("%m/%d %H:%M")
    body.append(_text(t("order_hold", language, deadline=deadline), size="sm", margin="md"))
    # Every way to pay stands out; the last action (cancel) is a plain link.
    footer = [_button(action, "primary" if i < len(pay_actions) - 1 else "link")
              for i, action in enumerate(pay_actions)]
    alt = t("order_alt", language, order_id=order_id, total=totals.total)
    return {"type": "flex", "altText": alt[:ALT_LIMIT],
            "contents": _bubble(body, footer, size="mega")}
