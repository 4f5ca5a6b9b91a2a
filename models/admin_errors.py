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
