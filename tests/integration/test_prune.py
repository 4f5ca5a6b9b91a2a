"""`flask prune` keeps the bookkeeping tables small and never drops unfinished work (issue 13, item 12)."""
import pytest

from config import ConfigError, load_settings
from tests.support.settings import settings_for


def add_rows(shop, age_days: int, tag: str) -> None:
    """One row of every kind, finished or not, `age_days` old."""
    age = f"{age_days} days"
    for status in ("pending", "done", "dead"):
        shop.sql("""INSERT INTO inbox (webhook_event_id, user_id, event, status, received_at,
                                       processed_at)
                    VALUES (%s, 'U1', '{}', %s, now() - %s::interval,
                            CASE WHEN %s <> 'pending' THEN now() - %s::interval END)""",
                 (f"{tag}-{status}", status, age, status, age))
    for status in ("pending", "sent", "dead"):
        shop.sql("""INSERT INTO outbox (user_id, messages, retry_key, status, created_at, sent_at)
                    VALUES (%s, '[]', gen_random_uuid(), %s, now() - %s::interval,
                            CASE WHEN %s = 'sent' THEN now() - %s::interval END)""",
                 (f"{tag}-{status}", status, age, status, age))
    for status in ("pending", "done", "dead"):
        shop.sql("""INSERT INTO bank_notices (pay_token, status, received_at, processed_at)
                    VALUES (%s, %s, now() - %s::interval,
                            CASE WHEN %s <> 'pending' THEN now() - %s::interval END)""",
                 (f"{tag}-{status}", status, age, status, age))
    shop.sql("""INSERT INTO login_throttle (email, address, attempts, last_attempt_at)
                VALUES (%s, '203.0.113.9', 1, now() - %s::interval)""", (f"{tag}@example.com", age))


def left(shop) -> dict:
    return {
        "inbox": sorted(r["webhook_event_id"] for r in shop.sql("SELECT webhook_event_id FROM inbox")),
        "outbox": sorted(r["user_id"] for r in shop.sql("SELECT user_id FROM outbox")),
        "login_throttle": sorted(r["email"] for r in shop.sql("SELECT email FROM login_throttle")),
        "bank_notices": sorted(r["pay_token"] for r in shop.sql("SELECT pay_token FROM bank_notices")),
    }


def test_prune_deletes_finished_rows_older_than_the_setting_and_never_pending_ones(make_shop):
    shop = make_shop(PRUNE_AFTER_DAYS=30)
    add_rows(shop, 40, "old")
    add_rows(shop, 20, "mid")
    add_rows(shop, 0, "new")
    result = shop.app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "Pruned 2 events, 2 messages, 1 login tallies, 2 bank notices." in result.output
    assert left(shop) == {
        "inbox": ["mid-dead", "mid-done", "mid-pending", "new-dead", "new-done", "new-pending",
                  "old-pending"],
        "outbox": ["mid-dead", "mid-pending", "mid-sent", "new-dead", "new-pending", "new-sent",
                   "old-pending"],
        "login_throttle": ["mid@example.com", "new@example.com"],
        "bank_notices": ["mid-dead", "mid-done", "mid-pending", "new-dead", "new-done", "new-pending",
                         "old-pending"]}
    result = shop.app.test_cli_runner().invoke(args=["prune", "--days", "10"])
    assert "Pruned 2 events, 2 messages, 1 login tallies, 2 bank notices." in result.output
    assert left(shop)["inbox"] == ["mid-pending", "new-dead", "new-done", "new-pending",
                                   "old-pending"]


def test_prune_refuses_a_nonsense_number_of_days(shop):
    result = shop.app.test_cli_runner().invoke(args=["prune", "--days", "0"])
    assert result.exit_code != 0 and "--days" in result.output
    assert shop.app.test_cli_runner().invoke(args=["prune", "--days", "x"]).exit_code != 0


@pytest.mark.parametrize("name", ["INBOX_LEASE_SECONDS", "PRUNE_AFTER_DAYS"])
def test_lease_and_prune_settings_below_one_refuse_to_start(name):
    with pytest.raises(ConfigError, match=name):
        load_settings(settings_for(None, "http://l", "http://b", "http://p", **{name: 0}),
                      environ={})
