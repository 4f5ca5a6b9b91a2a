"""SQL for payment attempts: our side of every bank order."""
from models.records import PaymentAttempt

COLUMNS = """
    id, order_no, order_id, pay_type, amount, status, ts_no, atm_bank_code, atm_pay_no,
    atm_expire_date, atm_web_url, card_url, description, pay_date, pay_url, pay_app_url
"""


def _attempt(row) -> PaymentAttempt | None:
    return PaymentAttempt(**row) if row else None


def get_attempt_for_request(cur, request_key: str) -> PaymentAttempt | None:
    """The attempt a LINE event already created: a retried event reuses its OrderNo."""
    cur.execute(f"SELECT {COLUMNS} FROM payment_attempts WHERE request_key = %(key)s",
                {"key": request_key})
    return _attempt(cur.fetchone())


def create_attempt(cur, *, order_id: int, order_no: str, pay_type: str, amount: int,
                   request_key: str | None) -> PaymentAttempt:
    """A new attempt for the order; any earlier unpaid attempt of the order becomes void."""
    cur.execute(
        f"""
        WITH voided AS (
            UPDATE payment_attempts SET status = 'void', updated_at = now()
            WHERE order_id = %(order_id)s AND status IN ('new', 'open', 'error', 'failed')
        )
        INSERT INTO payment_attempts (order_id, order_no, pay_type, amount, request_key)
        VALUES (%(order_id)s, %(order_no)s, %(pay_type)s, %(amount)s, %(request_key)s)
        RETURNING {COLUMNS}
        """,
        {"order_id": order_id, "order_no": order_no, "pay_type": pay_type, "amount": amount,
         "request_key": request_key},
    )
    return _attempt(cur.fetchone())


def record_bank_order(cur, attempt_id: int, *, ts_no: str, atm_bank_code: str | None,
                      atm_pay_no: str | None, atm_expire_date: str | None,
                      atm_web_url: str | None,
                      card_url: str | None, description: str, pay_url: str | None = None,
                      pay_app_url: str | None = None) -> PaymentAttempt | None:
    """Store what the provider answered (OrderCreate, LINE Pay request); a void one stays void."""
    cur.execute(
        f"""
        UPDATE payment_attempts
        SET status = CASE WHEN status = 'new' THEN 'open' ELSE status END,
            ts_no = %(ts_no)s, atm_bank_code = %(bank)s, atm_pay_no = %(pay_no)s,
            atm_web_url = %(web_url)s,
            atm_expire_date = %(expire)s, card_url = %(url)s, description = %(desc)s,
            pay_url = %(pay_url)s, pay_app_url = %(pay_app_url)s, updated_at = now()
        WHERE id = %(id)s
        RETURNING {COLUMNS}
        """,
        {"id": attempt_id, "ts_no": ts_no, "bank": atm_bank_code, "pay_no": atm_pay_no,
         "web_url": atm_web_url,
         "expire": atm_expire_date, "url": card_url, "desc": description,
         "pay_url": pay_url, "pay_app_url": pay_app_url},
    )
    return _attempt(cur.fetchone())


def mark_attempt_error(cur, attempt_id: int, description: str) -> None:
    cur.execute(
        """
        UPDATE payment_attempts SET status = 'error', description = %(desc)s, updated_at = now()
        WHERE id = %(id)s AND status = 'new'
        """,
        {"id": attempt_id, "desc": description[:500]},
    )


def get_attempt(cur, order_no: str) -> PaymentAttempt | None:
    cur.execute(f"SELECT {COLUMNS} FROM payment_attempts WHERE order_no = %(no)s",
                {"no": order_no})
    return _attempt(cur.fetchone())


def find_attempt(cur, order_no: str, ts_no: str) -> PaymentAttempt | None:
    """Our attempt with this OrderNo *and* the provider's transaction number: both must match."""
    cur.execute(f"SELECT {COLUMNS} FROM payment_attempts WHERE order_no = %(no)s AND ts_no = %(ts)s",
                {"no": order_no, "ts": ts_no})
    return _attempt(cur.fetchone())


def void_attempt(cur, attempt_id: int) -> bool:
    """An open attempt the provider says can never be paid (cancelled, expired) becomes void."""
    cur.execute(
        """
        UPDATE payment_attempts SET status = 'void', updated_at = now()
        WHERE id = %(id)s AND status IN ('new', 'open', 'error')
        """,
        {"id": attempt_id})
    return cur.rowcount == 1


def order_id_for(cur, order_no: str) -> int | None:
    """The order a bank OrderNo belongs to (read without a lock: the order is locked first)."""
    cur.execute("SELECT order_id FROM payment_attempts WHERE order_no = %(no)s", {"no": order_no})
    row = cur.fetchone()
    return row["order_id"] if row else None


def lock_attempt(cur, order_no: str) -> PaymentAttempt | None:
    """The attempt for a bank OrderNo, locked so repeated notices apply one at a time."""
    cur.execute(f"SELECT {COLUMNS} FROM payment_attempts WHERE order_no = %(no)s FOR UPDATE",
                {"no": order_no})
    return _attempt(cur.fetchone())


def set_attempt_result(cur, attempt_id: int, *, status: str, ts_no: str | None,
                       description: str | None, pay_date: str | None) -> None:
    cur.execute(
        """
        UPDATE payment_attempts
        SET status = %(status)s, ts_no = COALESCE(ts_no, %(ts_no)s),
            description = COALESCE(%(desc)s, description), pay_date = %(pay_date)s,
            updated_at = now()
        WHERE id = %(id)s
        """,
        {"id": attempt_id, "status": status, "ts_no": ts_no, "desc": description,
         "pay_date": pay_date},
    )


def list_attempts_for_order(cur, order_id: int) -> list[PaymentAttempt]:
    cur.execute(f"SELECT {COLUMNS} FROM payment_attempts WHERE order_id = %(id)s ORDER BY id",
                {"id": order_id})
    return [_attempt(row) for row in cur.fetchall()]


def list_unsettled_attempts(cur, *, still_open: bool, before_id: int | None,
                            limit: int = 100) -> list[PaymentAttempt]:
    """One page, newest first, of attempts the bank may know more about (for `sync-payments`).

    `still_open`: attempts the shopper may still pay ('new', 'open', and 'error' — the bank
    may have created an order whose answer we lost), however old; otherwise void and failed
    attempts of the last 14 days (money can still arrive on a voided ATM account).
    """
    cur.execute(
        f"""
        SELECT {COLUMNS} FROM payment_attempts
        WHERE CASE WHEN %(open)s THEN status IN ('new', 'open', 'error')
                   ELSE status IN ('void', 'failed')
                        AND created_at > now() - interval '14 days' END
          AND (%(before)s::bigint IS NULL OR id < %(before)s)
        ORDER BY id DESC
        LIMIT %(limit)s
        """,
        {"open": still_open, "before": before_id, "limit": limit},
    )
    return [_attempt(row) for row in cur.fetchall()]
