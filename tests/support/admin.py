"""The shop owner's side: an account, a logged-in test client, and orders made the shopper's way."""
import re

EMAIL = "owner@shop.tw"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class AdminClient:
    """A Flask test client that logs in and posts forms with the page's CSRF token."""

    def __init__(self, client):
        self.client = client

    def csrf(self, page: str = "/admin/login") -> str:
        return CSRF.search(self.client.get(page).get_data(as_text=True)).group(1)

    def login(self, email: str = EMAIL, password: str = PASSWORD):
        return self.client.post("/admin/login", data={
            "email": email, "password": password, "csrf_token": self.csrf()})

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={**(data or {}), "csrf_token": self.csrf("/admin/")},
                                **kwargs)


def create_owner(app, email=EMAIL, password=PASSWORD):
    result = app.test_cli_runner().invoke(args=["create-admin", email],
                                          input=f"{password}\n{password}\n")
    assert result.exit_code == 0, result.output
    return result


def log_in_page(page, url: str, email=EMAIL, password=PASSWORD) -> None:
    """Open a back-office `url` in a browser page and log in on the page it sends us to."""
    page.goto(url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入").click()


def place_order(shop, user_id: str, product_id: int, quantity: int) -> int:
    """The shopper fills the cart and checks out in the chat; returns the order id."""
    shop.text(user_id, f"cart {product_id} {quantity}")
    shop.text(user_id, "收件 王小明 0912345678 台北市信義區市府路1號")
    shop.text(user_id, "結帳")
    return shop.sql("SELECT max(id) AS id FROM orders WHERE user_id = %s", (user_id,))[0]["id"]


def pay_order(shop, user_id: str, order_id: int) -> str:
    """The shopper picks ATM in the chat and the bank reports the transfer; returns the OrderNo."""
    shop.postback(user_id, f"action=pay&order={order_id}&method=atm")
    order_no = shop.sql("SELECT order_no FROM payment_attempts WHERE order_id = %s",
                        (order_id,))[0]["order_no"]
    shop.bank_pays(order_no)
    assert shop.sql("SELECT status FROM orders WHERE id = %s", (order_id,))[0]["status"] == "paid"
    return order_no
