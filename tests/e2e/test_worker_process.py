"""A `worker:` process beside `web:` (WORKER_THREADS=0 on web): woken by what web stores."""
import threading

from config import load_settings
from handlers import worker
from runtime import build_runtime
from tests.support.messages import all_text
from tests.support.settings import settings_for


def test_a_worker_process_answers_at_once_what_a_web_process_without_workers_stored(
        make_shop, database_url, monkeypatch):
    monkeypatch.setattr(worker, "POLL_SECONDS", 30)  # only a wake-up can answer in time
    web = make_shop()  # WORKER_THREADS=0, as beside a worker dyno
    web.add_product(1, "烏龍茶", 100, 5)
    user = web.shopper()
    rt = build_runtime(load_settings(settings_for(database_url, web.line.url, web.bank.url,
                                                  web.url, WORKER_THREADS=2)))
    threading.Thread(target=rt.worker.run_worker_process, daemon=True).start()
    try:
        assert web.wait_until(lambda: web.sql(
            "SELECT 1 FROM pg_stat_activity WHERE query = 'LISTEN inbox'"), timeout=10)

        assert web.line.webhook.send_text(user, "cart 1 2").ok

        assert web.wait_until(lambda: "烏龍茶" in all_text(web.bot_messages(user)), timeout=10)
        assert web.sql("SELECT quantity FROM cart_items")[0]["quantity"] == 2
    finally:
        rt.worker.stop()
        rt.db.close()
