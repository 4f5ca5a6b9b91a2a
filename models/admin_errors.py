"""Back-office errors: each names the condition and says in zh-TW what the shop owner should know."""
from models.errors import ShopError


class AdminError(ShopError):
    """Only the shop owner meets these; `message` is shown as a flash or an API error."""


class InvalidAccount(AdminError):
    message = "請輸入有效的 Email，密碼至少 8 個字元。"


class UnknownAdmin(AdminError):
    message = "沒有這個管理者帳號。"


class LoginRefused(AdminError):
    message = "Email 或密碼錯誤。"


class LoginLocked(AdminError):
    """Too many tries: `retry_after` seconds until the next one is checked."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        wait = f"{-(-retry_after // 60)} 分鐘" if retry_after >= 60 else f"{retry_after} 秒"
        super().__init__(f"登入失敗次數過多，請 {wait}後再試。")


class InvalidProduct(AdminError):
    message = "商品資料有誤。"


class ProductIdTaken(AdminError):
    message = "這個商品編號已經有人使用，請換一個。"


class ProductMissing(AdminError):
    message = "找不到這個商品。"


class InvalidStockChange(AdminError):
    message = "庫存調整有誤：數量須為非零整數、需填寫原因，且庫存不能小於 0。"


class NotShippable(AdminError):
    message = "只有已付款的訂單可以出貨。"


class NotRefundable(AdminError):
    """The order has no payment to give back, or all of it went back already (HTTP 409)."""
    http_status = 409
    message = "這筆訂單沒有可退的款項。"


class RefundInProgress(AdminError):
    http_status = 409
    message = "這筆訂單有一筆退款正在向銀行確認，請稍候再看。"


class InvalidRefundAmount(AdminError):
    http_status = 422
    message = "退款金額須為正整數（NT$）。"


class RefundRefused(AdminError):
    """The bank said no: its Description is in the message; nothing was refunded."""
    http_status = 502


class RefundUnconfirmed(AdminError):
    http_status = 504
    message = ("銀行沒有回應，退款尚待確認。稍後再送出一次會先向銀行查詢，不會重複退款。")
