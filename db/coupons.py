"""SQL for follower coupons: one per shopper ever (UNIQUE user_id), used at most once."""
from datetime import datetime

from db.prepared import Prepared
from models.records import Coupon

COLUMNS = "id, code, kind, value, min_spend, expires_at, used_at"
COUPON_FOR = Prepared(f"SELECT {COLUMNS} FROM coupons WHERE user_id = %(user_id)s")


def grant_coupon(cur, user_id: str, *, code: str, kind: str, value: int, min_spend: int,
                 expires_at: datetime) -> Coupon | None:
    """Give the shopper their coupon; None if they ever had one (refollowing gives nothing)."""
    cur.execute(
        f"""
        INSERT INTO coupons (user_id, code, kind, value, min_spend, expires_at)
        VALUES (%(user_id)s, %(code)s, %(kind)s, %(value)s, %(min_spend)s, %(expires_at)s)
        ON CONFLICT (user_id) DO NOTHING
        RETURNING {COLUMNS}
        """,
        {"user_id": user_id, "code": code, "kind": kind, "value": value,
         "min_spend": min_spend, "expires_at": expires_at},
    )
    row = cur.fetchone()
    return Coupon(**row) if row else None


def get_coupon_for(cur, user_id: str) -> Coupon | None:
    """The shopper's coupon, used or not."""
    cur.execute(COUPON_FOR, {"user_id": user_id})
    row = cur.fetchone()
    return Coupon(**row) if row else None


def use_coupon(cur, coupon_id: int) -> bool:
    """Mark the coupon used unless it already is; False means another checkout got it first.

    A concurrent user waits on the row lock, then re-checks `used_at IS NULL` and finds it set.
    """
    cur.execute(
        """
        UPDATE coupons SET used_at = now()
        WHERE id = %(id)s AND used_at IS NULL
        RETURNING id
        """,
        {"id": coupon_id},
    )
    return cur.fetchone() is not None
