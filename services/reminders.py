"""Reminders: an unpaid ATM order near its deadline, a cart left alone. Each goes out once.

A reminder's key (kind, subject, version) is written in the transaction that queues it in the
outbox, and due work is claimed with FOR UPDATE SKIP LOCKED: two schedulers, or a scheduler and
the workers, never send the same reminder twice. Before anything is queued, LINE is asked about
the month's quota: reminders may not eat into the reserve kept for payment and shipping news.
"""
import logging
from dataclasses import dataclass

from db import carts, payments, reminders, scheduled_jobs, shoppers
from models import notices
from models import quota as quota_rules
from services.answers import Answer, push_to
from services.coupons import coupon_for
from services.delivery import LineSendError

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
    sent: int   # reminders queued (and handed to delivery) by this run
    held: int   # due but held back for the quota reserve (or an unknown quota)


def send_due(db, messenger, delivery, settings: ReminderSettings) -> ReminderRun:
    """`flask send-reminders` and the workers' periodic step: queue and send what is due."""
    with db.statement() as cur:
        due = reminders.count_due(cur, atm_hours=settings.atm_hours,
                                  cart_hours=settings.cart_hours)
    if not due:
        return ReminderRun(0, 0)
    try:
        quota = messenger.quota()
    except LineSendError as error:
        log.warning("event=reminders_quota_unknown status=%s", error.status)
        _note(db, "LINE 沒有回答本月訊息額度，提醒暫緩，稍後再試。")
        return ReminderRun(0, due)
    room = quota_rules.room(quota.limit, quota.used, settings.quota_reserve)
    budget = due if room is None else min(due, room)
    queued = db.run(lambda cur: _queue(cur, settings, budget)) if budget else []
    held = due - budget
    if held:
        reserve = quota_rules.reserve(quota.limit, settings.quota_reserve)
        _note(db, f"本月訊息額度 {quota.limit:,} 則已用 {quota.used:,} 則，保留 {reserve:,} 則給"
                  f"付款與出貨通知：{held} 則提醒暫緩，等額度足夠（下個月或提高上限）再送。")
        log.info("event=reminders_held held=%s room=%s", held, room)
    else:
        _note(db, None)
    delivery.send_now(queued)
    return ReminderRun(len(queued), held)


def held_note(db) -> str | None:
    """Why reminders are held back right now, for the owner's dashboard (None: they are not)."""
    with db.statement() as cur:
        return scheduled_jobs.get_note(cur, JOB)


def _note(db, note: str | None) -> None:
    with db.statement() as cur:
        scheduled_jobs.set_note(cur, JOB, note)


def _queue(cur, settings: ReminderSettings, budget: int) -> list[dict]:
    """Claim up to `budget` due reminders, take each one's key and queue its push."""
    queued = []
    for row in reminders.claim_atm(cur, atm_hours=settings.atm_hours, limit=budget):
        if not reminders.mark_sent(cur, "atm", str(row["order_id"]), str(row["attempt_id"])):
            continue
        attempt = payments.list_attempts_for_order(cur, row["order_id"])[-1]
        queued.append(push_to(cur, row["user_id"], notices.atm_reminder(
            row["order_id"], attempt, row["expires_at"], row["language"])))
    for row in reminders.claim_carts(cur, cart_hours=settings.cart_hours,
                                     limit=budget - len(queued)):
        if not reminders.mark_sent(cur, "cart", row["user_id"], row["version"]):
            continue
        lines = carts.get_cart(cur, row["user_id"])
        queued.append(push_to(cur, row["user_id"], notices.cart_reminder(
            lines, coupon_for(cur, row["user_id"]), row["language"])))
    return queued


def set_cart_reminders(db, answer: Answer, on: bool) -> None:
    """The shopper turns cart reminders off (the reminder's button) or on again (typed)."""
    with db.transaction() as cur:
        shoppers.set_cart_reminders(cur, answer.user_id, on)
        answer.send(cur, notices.cart_reminders_set(on, answer.language))
