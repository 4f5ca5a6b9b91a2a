"""The brake on password guessing: free tries, then growing waits, forgotten after a quiet day."""
from datetime import datetime, timedelta, timezone

from models.login_throttle import PER_ACCOUNT, PER_ADDRESS, Tally, delay_after, next_try

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def test_five_free_tries_then_waits_of_1_2_4_8_and_at_most_15_minutes():
    waits = [delay_after(PER_ADDRESS, attempts) for attempts in range(1, 11)]
    assert waits[:4] == [timedelta(0)] * 4
    assert [w.total_seconds() / 60 for w in waits[4:]] == [1, 2, 4, 8, 15, 15]
    assert delay_after(PER_ADDRESS, 10_000) == timedelta(minutes=15)


def test_the_account_ceiling_is_far_above_the_per_address_limit():
    assert delay_after(PER_ACCOUNT, 99) == timedelta(0)
    assert delay_after(PER_ACCOUNT, 100) == timedelta(minutes=1)


def test_a_try_during_a_wait_is_refused_and_counts_nothing():
    tally = Tally(attempts=5, last_attempt_at=NOON, blocked_until=NOON + timedelta(minutes=1))
    verdict = next_try(PER_ADDRESS, tally, NOON + timedelta(seconds=20))
    assert not verdict.allowed and verdict.retry_after == 40 and verdict.tally == tally


def test_after_the_wait_one_more_try_is_counted_and_the_next_wait_doubles():
    tally = Tally(attempts=5, last_attempt_at=NOON, blocked_until=NOON + timedelta(minutes=1))
    later = NOON + timedelta(minutes=1)
    verdict = next_try(PER_ADDRESS, tally, later)
    assert verdict.allowed
    assert verdict.tally == Tally(6, later, later + timedelta(minutes=2))


def test_a_quiet_day_starts_the_count_again():
    tally = Tally(attempts=40, last_attempt_at=NOON, blocked_until=NOON + timedelta(minutes=15))
    next_day = NOON + timedelta(hours=24, seconds=1)
    assert next_try(PER_ADDRESS, tally, next_day).tally == Tally(1, next_day, None)
