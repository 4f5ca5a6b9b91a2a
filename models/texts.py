"""Every word the shopper reads, in zh-TW (default) and English."""

DEFAULT_LANGUAGE = "zh-TW"

TEXTS: dict[str, dict[str, str]] = {
    "no_products": {"zh-TW": "目前沒有上架的商品。", "en": "No products for sale right now."},
    "cart_title": {"zh-TW": "🛒 購物車", "en": "🛒 Your cart"},
    "cart_empty": {"zh-TW": "購物車是空的。輸入「商品」看看有什麼吧！",
                   "en": "Your cart is empty. Type 'products' to browse."},
    "cart_updated": {"zh-TW": "已更新：{name} × {quantity}", "en": "Updated: {name} × {quantity}"},
    "cart_removed": {"zh-TW": "已從購物車移除：{name}", "en": "Removed from cart: {name}"},
    "button_checkout": {"zh-TW": "結帳下單", "en": "Check out"},
    "button_products": {"zh-TW": "商品", "en": "Products"},
    "button_cart": {"zh-TW": "購物車", "en": "Cart"},
    "button_orders": {"zh-TW": "訂單", "en": "Orders"},
    "button_help": {"zh-TW": "說明", "en": "Help"},
    "button_pay_atm": {"zh-TW": "ATM 轉帳", "en": "ATM transfer"},
    "button_pay_card": {"zh-TW": "信用卡", "en": "Credit card"},
    "button_cancel": {"zh-TW": "取消訂單", "en": "Cancel order"},
    "button_web_atm": {"zh-TW": "網路 ATM 轉帳", "en": "Pay by web ATM"},
    "button_web_atm_hint": {"zh-TW": "也可以用網路 ATM 直接轉帳：", "en": "Or pay right away by web ATM:"},
    "button_open_card_page": {"zh-TW": "前往信用卡付款", "en": "Pay by card"},
    "atm_instructions": {"zh-TW": "請於 {deadline} 前轉帳\n銀行代碼：{bank_code}（永豐銀行）\n虛擬帳號：{account}\n金額：NT${amount}\n訂單 #{order_id}",
                         "en": "Please transfer by {deadline}\nBank code: {bank_code} (SinoPac)\nAccount: {account}\nAmount: NT${amount}\nOrder #{order_id}"},
    "card_instructions": {"zh-TW": "訂單 #{order_id}，金額 NT${amount}。\n請在 {minutes} 分鐘內完成信用卡付款。",
                          "en": "Order #{order_id}, NT${amount}.\nPlease pay by card within {minutes} minutes."},
    "payment_received": {"zh-TW": "✅ 已收到訂單 #{order_id} 的付款 NT${amount}，謝謝您！我們會盡快出貨。",
                         "en": "✅ Payment of NT${amount} for order #{order_id} received. Thank you! We'll ship soon."},
    "payment_failed": {"zh-TW": "❌ 訂單 #{order_id} 付款未成功：{reason}\n訂單仍為您保留，可以再試一次。",
                       "en": "❌ Payment for order #{order_id} failed: {reason}\nThe order is still held; you can try again."},
    "payment_duplicate": {"zh-TW": "我們收到訂單 #{order_id} 的另一筆付款 NT${amount}，店家會與您聯繫退款。",
                          "en": "We received a second payment of NT${amount} for order #{order_id}; the shop will contact you about a refund."},
    "payment_after_close": {"zh-TW": "我們收到訂單 #{order_id} 的付款 NT${amount}，但訂單已逾期或取消。店家會盡快與您聯繫。",
                            "en": "We received NT${amount} for order #{order_id}, but the order had expired or was cancelled. The shop will contact you."},
    "orders_title": {"zh-TW": "📦 最近的訂單", "en": "📦 Recent orders"},
    "orders_none": {"zh-TW": "您還沒有訂單。", "en": "You have no orders yet."},
    "order_line": {"zh-TW": "#{order_id}　{date}　NT${total}　{status}",
                   "en": "#{order_id}  {date}  NT${total}  {status}"},
    "status_pending": {"zh-TW": "待付款", "en": "awaiting payment"},
    "status_paid": {"zh-TW": "已付款", "en": "paid"},
    "status_shipped": {"zh-TW": "已出貨", "en": "shipped"},
    "status_expired": {"zh-TW": "已逾期", "en": "expired"},
    "status_cancelled": {"zh-TW": "已取消", "en": "cancelled"},
    "order_cancelled": {"zh-TW": "訂單 #{order_id} 已取消，商品已釋出。", "en": "Order #{order_id} cancelled."},
    "order_expired_notice": {"zh-TW": "訂單 #{order_id} 已超過付款期限，已自動取消。",
                             "en": "Order #{order_id} passed its payment deadline and was cancelled."},
    "order_shipped": {"zh-TW": "🚚 訂單 #{order_id} 已出貨！{note}", "en": "🚚 Order #{order_id} has shipped! {note}"},
    "unknown_product": {"zh-TW": "找不到商品 #{product_id}。輸入「商品」看看有哪些商品。",
                        "en": "There is no product #{product_id}. Type 'products' to see them."},
    "product_unavailable": {"zh-TW": "抱歉，{name} 已下架，無法再加購；可以從購物車移除。",
                            "en": "Sorry, {name} is no longer for sale; you can only remove it from your cart."},
    "unavailable_at_checkout": {"zh-TW": "無法結帳：{names} 已下架。移除後再結帳一次吧！",
                                "en": "Can't check out: {names} is no longer for sale. Remove it, then check out again."},
    "button_drop_unavailable": {"zh-TW": "移除下架商品", "en": "Remove unavailable"},
    "unavailable_label": {"zh-TW": "已下架", "en": "Unavailable"},
    "out_of_stock": {"zh-TW": "抱歉，{name} 只剩 {stock} 件。", "en": "Sorry, only {stock} of {name} left."},
    "order_too_large": {"zh-TW": "抱歉，這筆訂單 NT${total} 超過銀行單筆付款上限 NT${limit}，請減少數量後再結帳。購物車已保留。",
                        "en": "Sorry, NT${total} is more than the bank takes in one payment (NT${limit}). Please order fewer and check out again; your cart is kept."},
    "atm_limit": {"zh-TW": "ATM 轉帳單筆上限為 NT${limit}，訂單 NT${total} 請改用信用卡付款。",
                  "en": "ATM transfers take at most NT${limit}; please pay this NT${total} order by card."},
    "sold_out": {"zh-TW": "抱歉，{names} 已售完或庫存不足，購物車已保留，請調整後再結帳。",
                 "en": "Sorry, {names} sold out or not enough left. Your cart is kept; adjust it and check out again."},
    "invalid_quantity": {"zh-TW": "數量不對喔：{name} 目前購物車有 {in_cart} 件，數量不能小於 0。",
                         "en": "That quantity doesn't work: you have {in_cart} of {name}; it can't go below 0."},
    "cart_usage": {"zh-TW": "指令格式：\ncart 商品編號 數量（設定數量，0 為移除）\ncart 商品編號 +數量 / -數量（增減）\n例如：cart 1 2、cart 1 +1",
                   "en": "How to write it:\ncart <id> <qty> (set; 0 removes)\ncart <id> +n / -n (change)\ne.g. cart 1 2, cart 1 +1"},
    "empty_cart": {"zh-TW": "購物車是空的，先加入商品再結帳吧！", "en": "Your cart is empty; add something first!"},
    "order_not_found": {"zh-TW": "找不到這筆訂單。", "en": "That order can't be found."},
    "order_not_payable": {"zh-TW": "訂單 #{order_id} 目前{status}，無法付款。",
                          "en": "Order #{order_id} is {status}; it can't be paid now."},
    "bank_unavailable": {"zh-TW": "銀行暫時沒有回應，訂單 #{order_id} 仍為您保留，請稍後再按一次付款。",
                         "en": "The bank isn't answering right now. Order #{order_id} is still held; please try paying again shortly."},
    "bank_refused": {"zh-TW": "銀行無法建立付款：{reason}\n訂單 #{order_id} 仍為您保留，可以換個付款方式試試。",
                     "en": "The bank couldn't set up the payment: {reason}\nOrder #{order_id} is still held; try another method."},
    "bad_postback": {"zh-TW": "這個按鈕已經失效了，請重新操作一次。", "en": "That button no longer works; please start again."},
    "error_generic": {"zh-TW": "抱歉，系統忙碌中，請稍後再試。", "en": "Sorry, something went wrong. Please try again later."},
    "unknown_command": {"zh-TW": "我看不懂「{text}」😅\n可以輸入：商品、購物車、訂單、說明",
                        "en": "I didn't get \"{text}\" 😅\nTry: products, cart, orders, help"},
    "help": {"zh-TW": "📖 使用說明\n"
                      "・商品：看商品卡片，按「加入購物車」或「看詳情」\n"
                      "・購物車：看購物車，用 − / + / 移除 調整，按「結帳下單」\n"
                      "・cart 商品編號 數量：設定數量，例如 cart 1 2（0 為移除）\n"
                      "・cart 商品編號 +數量 / -數量：增減，例如 cart 1 +1\n"
                      "・收件 姓名 手機 地址：設定收件資料，例如 收件 王小明 0912345678 台北市信義區市府路1號\n"
                      "・結帳：把購物車變成訂單（需先設定收件資料），再選 ATM 轉帳或信用卡\n"
                      "・訂單：看最近的訂單與付款狀態\n"
                      "・折價券：加入好友即送一張，結帳時自動折抵（每人一張）\n"
                      "・說明：看這份說明\n"
                      "也可以點下方選單或快速回覆按鈕。",
             "en": "📖 How to shop\n"
                   "- products: product cards; tap 'Add to cart' or 'Details'\n"
                   "- cart: your cart; adjust with − / + / Remove, then 'Check out'\n"
                   "- cart <id> <qty>: set a quantity, e.g. cart 1 2 (0 removes)\n"
                   "- cart <id> +n / -n: change it, e.g. cart 1 +1\n"
                   "- address <name> <mobile> <address>: delivery details, e.g. address Amy 0912345678 No. 1, Shifu Rd, Taipei\n"
                   "- checkout: turn your cart into an order (delivery details needed), then pay by ATM or card\n"
                   "- orders: your recent orders and their payment status\n"
                   "- coupon: following us gives you one, applied automatically at checkout (one per person)\n"
                   "- help: this message\n"
                   "You can also tap the menu or the quick reply buttons."},
    "group_invitation": {"zh-TW": "嗨！購物、結帳與訂單只在一對一聊天中進行，以保護您的個人資料。請加本帳號為好友，並在一對一聊天中輸入「商品」開始選購。",
                         "en": "Hi! Shopping, checkout and orders happen only in a one-to-one chat, to keep your details private. Add this account as a friend and type 'products' in a one-to-one chat to start."},
    "welcome": {"zh-TW": "歡迎光臨 {shop}！輸入「商品」開始逛逛，輸入「說明」看所有指令。",
                "en": "Welcome to {shop}! Type 'products' to browse or 'help' for all commands."},
    "recipient_missing": {"zh-TW": "結帳前請先留下收件資料，格式：\n收件 姓名 手機 地址\n例如：收件 王小明 0912345678 台北市信義區市府路1號",
                          "en": "Before checking out, please send your delivery details:\naddress <name> <mobile> <address>\ne.g. address Amy 0912345678 No. 1, Shifu Rd, Taipei"},
    "invalid_recipient_usage": {"zh-TW": "請用這個格式留下收件資料：\n收件 姓名 手機 地址\n例如：收件 王小明 0912345678 台北市信義區市府路1號",
                                "en": "Please send your delivery details like this:\naddress <name> <mobile> <address>\ne.g. address Amy 0912345678 No. 1, Shifu Rd, Taipei"},
    "invalid_recipient_name": {"zh-TW": "收件人姓名不能空白。\n格式：收件 姓名 手機 地址",
                               "en": "The recipient's name is missing.\nFormat: address <name> <mobile> <address>"},
    "invalid_recipient_phone": {"zh-TW": "手機號碼「{phone}」看起來不對，請填 09 開頭的 10 位數字，例如 0912345678。\n格式：收件 姓名 手機 地址",
                                "en": "The mobile number \"{phone}\" doesn't look right: use 10 digits starting with 09, e.g. 0912345678.\nFormat: address <name> <mobile> <address>"},
    "invalid_recipient_address": {"zh-TW": "地址太短了，請寫完整的收件地址（縣市、路名、門牌）。\n格式：收件 姓名 手機 地址",
                                  "en": "The address is too short; please write the full delivery address.\nFormat: address <name> <mobile> <address>"},
    "recipient_saved": {"zh-TW": "✅ 收件資料已儲存：{name}　{phone}\n{address}\n可以結帳了！",
                        "en": "✅ Delivery details saved: {name}  {phone}\n{address}\nYou can check out now!"},
    # Flex cards and quick replies
    "button_add": {"zh-TW": "加入購物車", "en": "Add to cart"},
    "button_detail": {"zh-TW": "看詳情", "en": "Details"},
    "button_next_page": {"zh-TW": "下一頁 ▶", "en": "Next page ▶"},
    "button_prev_page": {"zh-TW": "◀ 上一頁", "en": "◀ Previous"},
    "button_remove": {"zh-TW": "移除", "en": "Remove"},
    "button_back_to_products": {"zh-TW": "回商品列表", "en": "All products"},
    "button_checkout_quick": {"zh-TW": "結帳", "en": "Check out"},
    "say_products": {"zh-TW": "商品", "en": "products"},
    "say_cart": {"zh-TW": "購物車", "en": "cart"},
    "say_checkout": {"zh-TW": "結帳", "en": "checkout"},
    "say_orders": {"zh-TW": "訂單", "en": "orders"},
    "say_help": {"zh-TW": "說明", "en": "help"},
    "say_add": {"zh-TW": "加入購物車：{name}", "en": "Add to cart: {name}"},
    "say_detail": {"zh-TW": "看詳情：{name}", "en": "Details: {name}"},
    "say_page": {"zh-TW": "商品第 {page} 頁", "en": "Products, page {page}"},
    "price": {"zh-TW": "NT${price}", "en": "NT${price}"},
    "stock_left": {"zh-TW": "庫存 {stock}", "en": "{stock} in stock"},
    "sold_out_label": {"zh-TW": "售完", "en": "Sold out"},
    "products_alt": {"zh-TW": "商品列表（第 {page}/{pages} 頁）：{names}",
                     "en": "Products (page {page} of {pages}): {names}"},
    "products_page": {"zh-TW": "第 {page}/{pages} 頁，共 {count} 項商品", "en": "Page {page} of {pages}, {count} products"},
    "products_more": {"zh-TW": "還有 {count} 項商品", "en": "{count} more products"},
    "product_alt": {"zh-TW": "{name} NT${price}", "en": "{name} NT${price}"},
    "in_cart": {"zh-TW": "購物車內已有 {quantity} 件", "en": "{quantity} in your cart"},
    "cart_alt": {"zh-TW": "購物車：{count} 項，合計 NT${total}", "en": "Cart: {count} items, total NT${total}"},
    "cart_subtotal": {"zh-TW": "小計", "en": "Subtotal"},
    "cart_total_label": {"zh-TW": "應付金額", "en": "To pay"},
    "cart_more_lines": {"zh-TW": "…另有 {count} 項商品", "en": "…and {count} more items"},
    "cart_line_qty": {"zh-TW": "NT${price} × {quantity}", "en": "NT${price} × {quantity}"},
    "coupon_label": {"zh-TW": "🎁 折價券", "en": "🎁 Coupon"},
    "coupon_needs_more": {"zh-TW": "🎁 再買 NT${more} 即可使用折價券（{offer}）",
                          "en": "🎁 Spend NT${more} more to use your coupon ({offer})"},
    "coupon_amount": {"zh-TW": "折 NT${value}", "en": "NT${value} off"},
    "coupon_percent": {"zh-TW": "享 {value}% 折扣", "en": "{value}% off"},
    "coupon_granted": {"zh-TW": "🎁 送您一張折價券：{offer}，消費滿 NT${min_spend} 可用，{expires} 前有效，結帳時自動折抵。",
                       "en": "🎁 Here's a coupon for you: {offer} on orders of NT${min_spend} or more, valid until {expires}, applied automatically at checkout."},
    "coupon_granted_any": {"zh-TW": "🎁 送您一張折價券：{offer}，{expires} 前有效，結帳時自動折抵。",
                           "en": "🎁 Here's a coupon for you: {offer}, valid until {expires}, applied automatically at checkout."},
    "welcome_back": {"zh-TW": "歡迎回來 {shop}！輸入「商品」逛逛，輸入「說明」看所有指令。",
                     "en": "Welcome back to {shop}! Type 'products' to browse or 'help' for all commands."},
    "order_title": {"zh-TW": "訂單 #{order_id}", "en": "Order #{order_id}"},
    "order_alt": {"zh-TW": "訂單 #{order_id} 已成立，應付 NT${total}，請選擇付款方式。",
                  "en": "Order #{order_id} placed, NT${total} to pay. Choose how to pay."},
    "order_hold": {"zh-TW": "商品保留至 {deadline}，請選擇付款方式：", "en": "Items held until {deadline}. Choose how to pay:"},
    "order_ship_to": {"zh-TW": "寄送：{name}　{phone}\n{address}", "en": "Ship to: {name}  {phone}\n{address}"},
}


def t(key: str, language: str | None = None, **params) -> str:
    """The text for `key` in the shopper's language (zh-TW unless they use English)."""
    variants = TEXTS[key]
    text = variants.get(pick_language(language)) or variants[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def pick_language(language: str | None) -> str:
    return "en" if language and language.lower().startswith("en") else DEFAULT_LANGUAGE
