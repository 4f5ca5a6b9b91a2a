"""The owner's announcement pages and the quota on the dashboard."""
from handlers import scheduled
from tests.admin.test_announcements import NEWS, _deliveries, _followers


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_the_new_page_shows_how_many_shoppers_and_the_chat_preview_then_sends(shop, admin):
    shop.add_product(1, "凍頂烏龍", 450, 20)
    users = _followers(shop, 3)
    page = _page(admin.get("/admin/announcements/new"))
    assert "凍頂烏龍" in page and "data-testid=\"preview\"" not in page

    preview = admin.get("/admin/announcements/new", query_string={
        "preview": "1", "text": NEWS, "product_ids": "1", "segment": "all"})
    page = _page(preview)
    assert 'data-testid="recipients">3<' in page
    assert NEWS in page and "NT$450" in page and "加入購物車" in page   # the Flex card, drawn
    assert "發送給 3 位顧客" in page

    sent = admin.post("/admin/announcements", {"text": NEWS, "product_ids": "1",
                                               "segment": "all"})
    assert sent.status_code == 303
    assert shop.wait_until(lambda: shop.sql("SELECT status FROM announcements")[0]["status"]
                           == "sent")
    assert all(_deliveries(shop, user)[0] == NEWS for user in users)
    detail = _page(admin.get(sent.headers["Location"]))
    assert 'data-testid="progress">3 / 3<' in detail and "已送出" in detail
    listing = _page(admin.get("/admin/announcements"))
    assert "所有好友" in listing and "3 / 3" in listing


def test_a_bad_form_is_shown_again_with_its_problem_and_nothing_is_sent(shop, admin):
    _followers(shop, 2)
    preview = _page(admin.get("/admin/announcements/new", query_string={
        "preview": "1", "text": NEWS, "segment": "ordered_within", "segment_days": "abc"}))
    assert "segment.days" in preview and 'data-testid="preview"' not in preview
    refused = admin.post("/admin/announcements", {"text": "", "segment": "all"})
    assert refused.status_code == 422 and "請填寫公告內容" in _page(refused)
    assert shop.sql("SELECT count(*) AS n FROM announcements")[0]["n"] == 0


def test_a_held_announcement_says_why_on_its_page(shop, admin):
    _followers(shop, 15)
    shop.line.quota.limit, shop.line.quota.used = 100, 80
    sent = admin.post("/admin/announcements", {"text": NEWS, "segment": "all"})
    detail = _page(admin.get(sent.headers["Location"]))
    assert "暫緩" in detail and "保留給付款與出貨通知的 10 則額度" in detail
    assert shop.line.stats()["multicasts"] == 0


def test_the_dashboard_shows_the_months_quota_and_why_reminders_are_held(shop, admin):
    shop.line.quota.limit, shop.line.quota.used = 1000, 950
    page = _page(admin.get("/admin/"))
    assert 'data-testid="quota-used">950 / 1,000<' in page
    assert 'data-testid="quota-room">0<' in page   # 50 left, 100 kept for payments and shipping

    shop.add_product(1, "烏龍茶", 450, 5)
    user = shop.buyer()
    shop.text(user, "cart 1 1")
    shop.sql("UPDATE cart_items SET changed_at = now() - interval '2 days'")
    scheduled.send_reminders(shop.rt)
    assert "1 則提醒暫緩" in _page(admin.get("/admin/"))
