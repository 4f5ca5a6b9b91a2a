"""The brake on password guessing: how many tries are free, and how long each later one waits."""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Brake:
    """`free` tries, then each try waits twice as long as the one before, up to `longest`."""
    free: int
    first_delay: timedelta
    longest: timedelta
    # A quiet spell this long starts the count again.
    forget_after: timedelta


# Per account and client address: an owner who mistypes 5 times waits a minute.
PER_ADDRESS = Brake(free=5, first_delay=timedelta(minutes=1), longest=timedelta(minutes=15),
                    forget_after=timedelta(hours=24))
# Per account, whatever the address: only many addresses together reach it.
PER_ACCOUNT = Brake(free=100, first_delay=timedelta(minutes=1), longest=timedelta(minutes=15),
                    forget_after=timedelta(hours=24))


@dataclass(frozen=True)
class Tally:
    """What the database holds for one key."""
    attempts: int = 0
    last_attempt_at: datetime | None = None
    blocked_until: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    tally: Tally  # to store when allowed
    retry_after: int = 0  # whole seconds, when refused


def next_try(brake: Brake, tally: Tally, now: datetime) -> Verdict:
    """May one more password be checked now? If so, the tally that counts it."""
    if tally.blocked_until is not None and now < tally.blocked_until:
        wait = math.ceil((tally.blocked_until - now).total_seconds())
        return Verdict(False, tally, max(wait, 1))
    attempts = tally.attempts
    if tally.last_attempt_at is not None and now - tally.last_attempt_at > brake.forget_after:
        attempts = 0
    attempts += 1
    delay = delay_after(brake, attempts)
    return Verdict(True, Tally(attempts, now, now + delay if delay else None))


def delay_after(brake: Brake, attempts: int) -> timedelta:
    """The wait after the `attempts`-th try: none while free, then 1, 2, 4, 8, 15, 15 … minutes."""
    if attempts < brake.free:
        return timedelta(0)
    return min(brake.first_delay * 2 ** min(attempts - brake.free, 20), brake.longest)
