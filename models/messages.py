"""LINE message JSON for every answer the bot gives (texts come from models/texts.py)."""
from datetime import datetime

from models.order import TAIPEI
from models.records import CartLine, Order, OrderLine, PaymentAttempt, PaymentResult, Product
from models.texts import t

TEXT_LIMIT = 5000


def text(key: str, language: str | None, **params) -> dict:
    return {"type": "text", "text": t(key, language, **params)[:TEXT_LIMIT]}


def status_text(status: str, language: str | None) -> str:
    return t(f"status_{status}", language)


def _when(moment: datetime) -> str:
    return moment.astimezone(TAIPEI).strftime("%m/%d %H:%M")


def _postback(label: str, data: str, display: str | None = None) -> dict:
    action = {"type": "postback", "label": label[:20], "data": data}
    if display:
        action["displayText"] = display
    return action


def _buttons(alt: str, body: str, actions: list[dict], title: str | None = None) -> dict:
    template = {"type": "buttons", "text": body[:160 if title is None else 60], "actions": actions}
    if title:
        template["title"] = title[:40]
    return {"type": "template", "altText": alt[:1500], "template": template}


def product_list(products: list[Product], page: int, language: str | None) -> list[dict]:
    if not products:
        return [text("no_products", language)]
    rows = [t("products_title", language)]
    for product in products:
        key = "product_line" if product.stock > 0 else "product_sold_out"
        rows.append(t(key, language, id=product.id, name=product.name, price=product.price,
                      stock=product.stock))
    rows.append(t("products_hint", language))
    return [{"type": "text", "text": "\n".join(rows)[:TEXT_LIMIT]}]


def cart(lines: list[CartLine], language: str | None) -> list[dict]:
    if not lines:
        return [text("cart_empty", language)]
    rows = [t("cart_title", language)]
    rows += [t("cart_line", language, name=line.name, quantity=line.quantity, amount=line.amount)
             for line in lines]
    total = sum(line.amount for line in lines)
    rows.append(t("cart_total", language, total=total))
    body = "\n".join(rows)
    checkout = _buttons(body, body if len(body) <= 160 else t("cart_total", language, total=total),
                        [_postback(t("button_checkout", language), "action=buy",
                                   t("button_checkout", language))])
    return ([{"type": "text", "text": body[:TEXT_LIMIT]}, checkout] if len(body) > 160
            else [checkout])


def cart_changed(product: Product, quantity: int, lines: list[CartLine],
                 language: str | None) -> list[dict]:
    key = "cart_updated" if quantity else "cart_removed"
    return [text(key, language, name=product.name, quantity=quantity)] + cart(lines, language)


def order_created(order_id: int, lines: list[CartLine], subtotal: int, discount: int,
                  total: int, expires_at: datetime, language: str | None) -> list[dict]:
    body = t("order_created", language, order_id=order_id, total=total, deadline=_when(expires_at))
    return [_buttons(body, body, pay_actions(order_id, language))]


def pay_actions(order_id: int, language: str | None) -> list[dict]:
    return [_postback(t("button_pay_atm", language), f"action=pay&order={order_id}&method=atm"),
            _postback(t("button_pay_card", language), f"action=pay&order={order_id}&method=card"),
            _postback(t("button_cancel", language), f"action=cancel&order={order_id}")]


def payment_instructions(order_id: int, attempt: PaymentAttempt, hold_until: datetime,
                         card_minutes: int, language: str | None) -> list[dict]:
    if attempt.pay_type == "A":
        return [text("atm_instructions", language, deadline=_when(hold_until),
                     bank_code=attempt.atm_bank_code, account=attempt.atm_pay_no,
                     amount=attempt.amount, order_id=order_id)]
    body = t("card_instructions", language, order_id=order_id, amount=attempt.amount,
             minutes=min(card_minutes, 30))
    return [_buttons(body, body, [{"type": "uri", "label": t("button_open_card_page", language),
                                   "uri": attempt.card_url}])]


def payment_notice(kind: str, order: Order, attempt: PaymentAttempt, result: PaymentResult,
                   language: str | None) -> list[dict]:
    if kind == "payment_failed":
        body = t(kind, language, order_id=order.id,
                 reason=result.description or t("status_pending", language))
        return [_buttons(body, body, pay_actions(order.id, language))]
    return [text(kind, language, order_id=order.id, amount=attempt.amount)]


def order_list(orders: list[Order], language: str | None) -> list[dict]:
    if not orders:
        return [text("orders_none", language)]
    rows = [t("orders_title", language)]
    for order in orders:
        rows.append(t("order_line", language, order_id=order.id, date=_when(order.created_at),
                      total=order.total, status=status_text(order.status, language)))
        rows += [f"  {line.name} × {line.quantity}" for line in order.lines]
    return [{"type": "text", "text": "\n".join(rows)[:TEXT_LIMIT]}]


def welcome(shop_name: str, language: str | None) -> list[dict]:
    return [text("welcome", language, shop=shop_name)]


def help_text(language: str | None) -> list[dict]:
    return [text("help", language)]
