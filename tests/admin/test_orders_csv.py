"""The shipping list CSV: opened back with Python's csv, as a spreadsheet would read it."""
import csv
import io

from tests.support.admin import EMAIL

HEADER = ["訂單編號", "下單時間", "狀態", "收件人", "電話", "地址", "品項", "金額", "付款方式"]


def seed_order(shop, status, created, name, items, paid_by=None, phone="0912345678"):
    """An order with its lines and, if `paid_by` ('A' or 'C'), a paid attempt; returns its id."""
    total = sum(price * quantity for _, price, quantity in items)
    order_id = shop.sql(
        "INSERT INTO orders (user_id, status, subtotal, total, expires_at, created_at, "
        "recipient_name, recipient_phone, recipient_address) "
        "VALUES ('U1', %s, %s, %s, now(), %s, %s, %s, '台北市信義區市府路1號') RETURNING id",
        (status, total, total, created, name, phone))[0]["id"]
    for product_id, (product, price, quantity) in enumerate(items, start=1):
        shop.sql("INSERT INTO order_items (order_id, product_id, name, unit_price, quantity) "
                 "VALUES (%s, %s, %s, %s, %s)", (order_id, product_id, product, price, quantity))
    if paid_by:
        shop.sql("INSERT INTO payment_attempts (order_no, order_id, pay_type, amount, status) "
                 "VALUES (%s, %s, %s, %s, 'paid')", (f"T{order_id}", order_id, paid_by, total))
    return order_id


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="orders-')
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_lists_orders_with_chinese_intact_and_formulas_neutralised(shop, admin):
    first = seed_order(shop, "paid", "2025-03-01 02:00+00", "王小明",
                       [("凍頂烏龍", 350, 2), ("東方美人", 500, 1)], paid_by="C")
    second = seed_order(shop, "pending", "2025-03-02 02:00+00", '=HYPERLINK("http://evil","點我")',
                        [("-紅茶", 100, 1)], phone="+886912345678")
    rows = read_csv(admin.get("/admin/orders.csv"))
    assert rows == [
        HEADER,
        [str(first), "2025-03-01 10:00", "已付款", "王小明", "0912345678", "台北市信義區市府路1號",
         "凍頂烏龍 ×2; 東方美人 ×1", "1200", "信用卡"],
        [str(second), "2025-03-02 10:00", "待付款", '\'=HYPERLINK("http://evil","點我")',
         "'+886912345678", "台北市信義區市府路1號", "'-紅茶 ×1", "100", "—"],
    ]


def test_the_csv_keeps_to_the_lists_filter_by_status_and_taipei_dates(shop, admin):
    seed_order(shop, "paid", "2025-03-01 15:30+00", "三月一日深夜", [("烏龍", 100, 1)], "A")  # 3/1 23:30
    seed_order(shop, "paid", "2025-03-01 16:30+00", "三月二日凌晨", [("烏龍", 100, 1)], "A")  # 3/2 00:30
    seed_order(shop, "shipped", "2025-03-02 03:00+00", "已出貨", [("烏龍", 100, 1)], "A")
    seed_order(shop, "paid", "2025-03-03 03:00+00", "三月三日", [("烏龍", 100, 1)], "A")
    rows = read_csv(admin.get("/admin/orders.csv?status=paid&from=2025-03-02&to=2025-03-02"))
    assert [row[3] for row in rows[1:]] == ["三月二日凌晨"]
    assert rows[1][8] == "ATM"
    everything = read_csv(admin.get("/admin/orders.csv"))
    assert len(everything) == 5


def test_the_api_csv_needs_the_token_and_answers_the_same_list(shop, owner):
    seed_order(shop, "paid", "2025-03-01 02:00+00", "王小明", [("凍頂烏龍", 350, 2)], "C")
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    client = shop.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    anonymous = client.get("/admin/api/orders.csv")
    assert anonymous.status_code == 401
    assert anonymous.json == {"message": "missing or invalid API token"}
    assert read_csv(client.get("/admin/api/orders.csv?status=paid",
                               headers=headers))[1][3] == "王小明"
    assert read_csv(client.get("/admin/api/orders.csv?status=shipped",
                               headers=headers)) == [HEADER]


def test_anonymous_visitors_of_the_csv_are_sent_to_login(shop):
    response = shop.app.test_client().get("/admin/orders.csv?status=paid")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")
    assert "王" not in response.get_data(as_text=True)


def test_the_orders_page_links_to_the_csv_of_its_filter(shop, admin):
    page = admin.get("/admin/orders?status=paid&from=2025-03-01").get_data(as_text=True)
    assert 'data-testid="orders-csv"' in page
    assert "/admin/orders.csv?status=paid&amp;from=2025-03-01" in page
