"""Reminders: an unpaid ATM order near its deadline, a cart left alone. Each goes out once.

A reminder's key (kind, subject, version) is written in the transaction that records it (the
notifier queues its push in that same transaction), and due work is claimed with FOR UPDATE
SKIP LOCKED: two schedulers, or a scheduler and the workers, never send one reminder twice.
Reminders may not eat into the month's quota reserve kept for payment and shipping news: the
caller asks LINE for the quota first (handlers/scheduled.py).
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from db import carts, coupons, payments, reminders, scheduled_jobs, shoppers
from models import quota as quota_rules
from models.events import AtmReminder, CartReminder, CartRemindersSet
from models.order import order_totals

log = logging.getLogger(__name__)

JOB = "reminders"


@dataclass(frozen=True)
class ReminderSettings:
    atm_hours: int
    cart_hours: int
    quota_reserve: str  # "10%" or a count (config.py)

    @classmethod
    def from_settings(cls, settings) -> "ReminderSettings":
        return cls(settings.atm_remind_hours, settings.cart_remind_hours, settings.quota_reserve)


@dataclass(frozen=True)
class ReminderRun:
    sent: int   # reminders recorded (their pushes leave right after the commit)
    held: int   # due but held back for the quota reserve (or an unknown quota)


def count_due(db, settings: ReminderSettings) -> int:
    """How many reminders are due (a cheap look before asking LINE about the quota)."""
    with db.statement() as cur:
        return reminders.count_due(cur, atm_hours=settings.atm_hours,
                                   cart_hours=settings.cart_hours)


def send_due(db, settings: ReminderSettings, quota, due: int) -> ReminderRun:
    """Record up to `due` reminders that fit the month's `quota` (limit, used; None: LINE
    didn't say, so all are held); the owner is told why any were held."""
    if quota is None:
        _note(db, "LINE 沒有回答本月訊息額度，提醒暫緩，稍後再試。")
        return ReminderRun(0, due)
    room = quota_rules.room(quota.limit, quota.used, settings.quota_reserve)
    budget = due if room is None else min(due, room)
    sent = db.run(lambda uow: _record(uow, settings, budget)) if budget else 0
    held = due - budget
    if held:
        reserve = quota_rules.reserve(quota.limit, settings.quota_reserve)
        _note(db, f"本月訊息額度 {quota.limit:,} 則已用 {quota.used:,} 則，保留 {reserve:,} 則給"
                  f"付款與出貨通知：{held} 則提醒暫緩，等額度足夠（下個月或提高上限）再送。")
        log.info("event=reminders_held held=%s room=%s", held, room)
    else:
        _note(db, None)
    return ReminderRun(sent, held)


def held_note(db) -> str | None:
    """Why reminders are held back right now, for the owner's dashboard (None: they are not)."""
    with db.statement() as cur:
        return scheduled_jobs.get_note(cur, JOB)


def _note(db, note: str | None) -> None:
    with db.statement() as cur:
        scheduled_jobs.set_note(cur, JOB, note)


def _record(uow, settings: ReminderSettings, budget: int) -> int:
    """Claim up to `budget` due reminders, take each one's key and record it."""
    cur, sent = uow.cur, 0
    for row in reminders.claim_atm(cur, atm_hours=settings.atm_hours, limit=budget):
        if reminders.mark_sent(cur, "atm", str(row["order_id"]), str(row["attempt_id"])):
            attempt = payments.list_attempts_for_order(cur, row["order_id"])[-1]
            uow.record(AtmReminder(row["user_id"], row["order_id"], attempt, row["expires_at"]))
            sent += 1
    now = datetime.now(timezone.utc)
    for row in reminders.claim_carts(cur, cart_hours=settings.cart_hours, limit=budget - sent):
        if reminders.mark_sent(cur, "cart", row["user_id"], row["version"]):
            lines = carts.get_cart(cur, row["user_id"])
            coupon = coupons.get_coupon_for(cur, row["user_id"])
            uow.record(CartReminder(row["user_id"], lines, order_totals(lines, coupon, now),
                                    coupon))
            sent += 1
    return sent


def set_cart_reminders(db, user_id: str, on: bool) -> CartRemindersSet:
    """The shopper turns cart reminders off (the reminder's button) or on again (typed)."""
    def work(uow):
        shoppers.set_cart_reminders(uow.cur, user_id, on)
        done = CartRemindersSet(user_id, on)
        uow.record(done)
        return done
    return db.run(work)
