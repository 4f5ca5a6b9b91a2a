"""Announcements: segments, batches of 500 sent once each through crashes, the quota, the API."""
import threading

import pytest

from db.announcements import claim_batch, segment_user_ids
from handlers import scheduled
from models.announcement import AnnouncementRequest, Segment
from models.audit import Actor
from services import announcements
from tests.support.admin import EMAIL, pay_order, place_order
from tests.support.messages import message_text

NEWS = "新品上架：凍頂烏龍，本週九折！"


@pytest.fixture
def api(shop, owner):
    token = shop.app.test_cli_runner().invoke(args=["create-admin-token", EMAIL]).output.strip()
    client = shop.app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    class Api:
        def get(self, url):
            return client.get(url, headers=headers)

        def post(self, url, body=None, **kwargs):
            return client.post(url, json=body, headers=headers, **kwargs)
    return Api()


def _followers(shop, count: int) -> list[str]:
    """`count` shoppers who follow the shop, known to LINE and to us."""
    users = [shop.line.add_user(f"好友{n}").user_id for n in range(count)]
    shop.sql("INSERT INTO shoppers (user_id) SELECT unnest(%s::text[])", (users,))
    return users


def _deliveries(shop, user_id: str) -> list[str]:
    return [message_text(e["message"]) for e in shop.line.conversation(user_id)
            if e["direction"] == "bot" and e["via"] == "multicast"]


def _create(shop, kind="all", **segment):
    """Store an announcement as the pages do, without sending anything yet."""
    request = AnnouncementRequest(NEWS, (), Segment(kind, **segment))
    return announcements.create(shop.rt.db, request, scheduled.preview(shop.rt, request).messages,
                                shop.rt.messenger.quota(), "10%", Actor.cli())


def _send(shop) -> str:
    result = shop.app.test_cli_runner().invoke(args=["send-announcements"])
    assert result.exit_code == 0, result.output
    return result.output


def test_1234_shoppers_get_3_batches_once_each_through_a_lost_answer_and_a_crash(shop):
    users = _followers(shop, 1234)
    created = _create(shop)
    assert (created["recipients"], created["batches"], created["status"]) == (1234, 3, "sending")
    keys = shop.sql("SELECT cardinality(user_ids) AS n, retry_key FROM announcement_batches "
                    "ORDER BY seq")
    assert [row["n"] for row in keys] == [500, 500, 234]  # each stored with its key before sending

    assert scheduled.send_batches(shop.rt, limit=1) == 1
    shop.line.fail_next, shop.line.fail_mode = 1, "after"   # batch 2 delivered, answer lost
    assert scheduled.send_batches(shop.rt, limit=1) == 0
    with shop.rt.db.transaction() as cur:                  # batch 3: sent, then the process died
        batch = claim_batch(cur, 60)
    shop.rt.messenger.multicast(batch["user_ids"], batch["messages"], str(batch["retry_key"]))
    assert announcements.get(shop.rt.db, created["id"])["sent"] == 500

    shop.sql("UPDATE announcement_batches SET locked_until = now()")  # leases and backoff over
    assert "Sent 2 announcement batches" in _send(shop)
    assert "Sent 0 announcement batches" in _send(shop)

    done = announcements.get(shop.rt.db, created["id"])
    assert (done["status"], done["sent"], done["batches_sent"]) == ("sent", 1234, 3)
    assert all(_deliveries(shop, user) == [NEWS] for user in users)
    assert shop.line.quota.used == 1234
    assert [e["status"] for e in shop.line.stats()["last_errors"]
            if "multicast" in e["path"]] == [500, 409, 409]


def test_two_processes_sending_at_once_deliver_each_batch_once(make_shop):
    first, second = make_shop(), make_shop()
    users = _followers(first, 1234)
    _create(first)
    barrier = threading.Barrier(4)

    def race(shop):
        barrier.wait()
        scheduled.send_batches(shop.rt)

    threads = [threading.Thread(target=race, args=(shop,)) for shop in (first, second) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.sql("SELECT status FROM announcements")[0]["status"] == "sent"
    assert all(_deliveries(first, user) == [NEWS] for user in users)
    assert first.line.stats()["multicasts"] == 3 and first.line.stats()["errors"] == 0


def test_segments_pick_their_shoppers_and_shoppers_who_blocked_the_shop_are_skipped(shop):
    shop.add_product(1, "凍頂烏龍", 450, 20)
    shop.add_product(2, "芒果乾", 120, 20)
    buyer, recent, carter, blocked = (shop.shopper(n) for n in ("買過", "最近", "購物車", "封鎖"))
    newcomer, = _followers(shop, 1)
    for user in (buyer, recent, carter, blocked):
        shop.follow(user)
    pay_order(shop, buyer, place_order(shop, buyer, 1, 1))
    shop.sql("UPDATE orders SET created_at = now() - interval '40 days' WHERE user_id = %s",
             (buyer,))
    place_order(shop, recent, 2, 1)
    shop.text(carter, "cart 2 1")
    shop.text(blocked, "cart 1 1")
    shop.line.webhook.send_unfollow(blocked)
    shop.work()

    def members(kind, **segment):
        with shop.rt.db.transaction() as cur:
            return set(segment_user_ids(cur, Segment(kind, **segment)))

    assert members("all") == {buyer, recent, carter, newcomer}
    assert members("bought", product_id=1) == {buyer}
    assert members("bought", product_id=2) == set()  # ordered, not paid
    assert members("ordered_within", days=30) == {recent}
    assert members("ordered_within", days=60) == {buyer, recent}
    assert members("cart") == {carter}
    assert members("never_ordered") == {carter, newcomer}

    _create(shop, "cart")
    _send(shop)
    assert _deliveries(shop, carter) == [NEWS]
    assert all(_deliveries(shop, user) == [] for user in (buyer, recent, blocked, newcomer))


def test_the_api_answers_202_then_the_progress_and_records_the_owners_action(shop, api):
    shop.add_product(1, "凍頂烏龍", 450, 20)
    users = _followers(shop, 3)
    answer = api.post("/admin/api/announcements", {
        "text": NEWS, "product_ids": [1], "segment": {"kind": "never_ordered"}})
    assert answer.status_code == 202
    assert answer.json["recipients"] == 3 and answer.json["status"] in ("sending", "sent")
    url = f"/admin/api/announcements/{answer.json['id']}"
    assert shop.wait_until(lambda: api.get(url).json["status"] == "sent")
    assert {k: api.get(url).json[k] for k in ("id", "status", "recipients", "sent")} == {
        "id": answer.json["id"], "status": "sent", "recipients": 3, "sent": 3}
    seen = [e["message"] for e in shop.line.conversation(users[0]) if e["direction"] == "bot"]
    assert seen[0] == {"type": "text", "text": NEWS}
    assert "凍頂烏龍" in message_text(seen[1]) and "加入購物車" in message_text(seen[1])
    audit, = shop.sql("SELECT actor, via, action, after FROM audit_log WHERE entity_type = "
                      "'announcement'")
    assert (audit["actor"], audit["via"], audit["action"]) == (EMAIL, "api",
                                                               "announcement_created")
    assert audit["after"]["recipients"] == 3
    assert api.get("/admin/api/announcements/99").status_code == 404


@pytest.mark.parametrize("body, status, words", [
    (None, 400, "JSON object"),
    ([1], 400, "JSON object"),
    ({"segment": {"kind": "all"}}, 422, "text"),
    ({"text": "  ", "segment": {"kind": "all"}}, 422, "text"),
    ({"text": "x" * 5001, "segment": {"kind": "all"}}, 422, "5000"),
    ({"text": "hi"}, 422, "segment.kind"),
    ({"text": "hi", "segment": {"kind": "vip"}}, 422, "segment.kind"),
    ({"text": "hi", "segment": {"kind": "bought"}}, 422, "product_id"),
    ({"text": "hi", "segment": {"kind": "bought", "product_id": "1"}}, 422, "product_id"),
    ({"text": "hi", "segment": {"kind": "ordered_within", "days": 0}}, 422, "days"),
    ({"text": "hi", "segment": {"kind": "ordered_within", "days": True}}, 422, "days"),
    ({"text": "hi", "product_ids": [1, 1], "segment": {"kind": "all"}}, 422, "product_ids"),
    ({"text": "hi", "product_ids": list(range(1, 12)), "segment": {"kind": "all"}}, 422, "10"),
    ({"text": "hi", "product_ids": "1", "segment": {"kind": "all"}}, 422, "product_ids"),
    ({"text": "hi", "product_ids": [2], "segment": {"kind": "all"}}, 422, "#2"),
    ({"text": "hi", "segment": {"kind": "cart"}}, 422, "沒有可發送的人"),
])
def test_bad_bodies_get_a_4xx_saying_what_is_wrong_and_nothing_is_sent(shop, api, body, status,
                                                                       words):
    shop.add_product(1, "凍頂烏龍", 450, 20)
    shop.add_product(2, "下架品", 100, 20)
    shop.sql("UPDATE products SET active = false WHERE id = 2")
    _followers(shop, 2)
    answer = api.post("/admin/api/announcements", body)
    assert answer.status_code == status, answer.json
    assert words in answer.json["message"]
    assert shop.sql("SELECT count(*) AS n FROM announcements")[0]["n"] == 0
    assert shop.line.stats()["multicasts"] == 0


def test_an_announcement_bigger_than_what_is_left_is_refused_before_any_batch(shop, api):
    _followers(shop, 30)
    shop.line.quota.limit, shop.line.quota.used = 100, 80
    answer = api.post("/admin/api/announcements", {"text": NEWS, "segment": {"kind": "all"}})
    assert answer.status_code == 409
    assert "只剩 20 則" in answer.json["message"]
    assert shop.sql("SELECT count(*) AS n FROM announcement_batches")[0]["n"] == 0
    assert shop.line.stats()["multicasts"] == 0 and shop.line.quota.used == 80


def test_an_announcement_that_would_use_the_reserve_is_held_until_there_is_room(shop, api):
    users = _followers(shop, 15)
    shop.line.quota.limit, shop.line.quota.used = 100, 80   # 20 left, 10 of them kept
    answer = api.post("/admin/api/announcements", {"text": NEWS, "segment": {"kind": "all"}})
    assert answer.status_code == 202 and answer.json["status"] == "held"
    assert "保留給付款與出貨通知" in answer.json["held_reason"]
    assert "0 held announcements resumed" in _send(shop)
    assert shop.line.stats()["multicasts"] == 0

    shop.line.quota.limit = 1000
    assert "1 held announcements resumed" in _send(shop)
    status = api.get(f"/admin/api/announcements/{answer.json['id']}").json
    assert (status["status"], status["sent"]) == ("sent", 15)
    assert all(_deliveries(shop, user) == [NEWS] for user in users)
