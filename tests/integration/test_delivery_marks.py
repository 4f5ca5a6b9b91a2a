"""Messages sent at the same time are marked sent together, and none is left unmarked."""
import threading

from db import outbox


def test_concurrent_sends_are_marked_sent_together_each_exactly_once(shop, monkeypatch):
    user = shop.shopper()
    with shop.rt.db.transaction() as cur:
        rows = [outbox.enqueue(cur, user, [{"type": "text", "text": f"第 {n} 則"}])
                for n in range(24)]
    marks = []
    real_mark_sent = outbox.mark_sent
    monkeypatch.setattr(outbox, "mark_sent",
                        lambda cur, ids: marks.append(list(ids)) or real_mark_sent(cur, ids))

    threads = [threading.Thread(target=shop.rt.delivery.deliver, args=(rows[n::8],))
               for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(shop.bot_messages(user)) == 24
    assert shop.sql("SELECT status, count(*) AS n FROM outbox GROUP BY status") == [
        {"status": "sent", "n": 24}]
    assert sorted(i for ids in marks for i in ids) == sorted(row["id"] for row in rows)
    assert len(marks) <= 24  # fewer when senders overlapped (most runs)
