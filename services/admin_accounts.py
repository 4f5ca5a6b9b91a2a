"""Shop-owner accounts: creating them, logging in (with a brake on guessing) and API tokens."""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from db import admins, audit
from models.admin_errors import InvalidAccount, LoginLocked, LoginRefused, UnknownAdmin
from models.audit import API_TOKEN_CREATED, LOGIN, LOGIN_FAILED, Actor

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_admin(db, email: str, password: str) -> int:
    """Create an owner account, or reset its password; returns its id.

    :raise InvalidAccount: no plausible email, or a password shorter than 8 characters.
    """
    email = normalise_email(email)
    if "@" not in email or len(password) < MIN_PASSWORD:
        raise InvalidAccount()
    with db.transaction() as cur:
        return admins.save_admin(cur, email, generate_password_hash(password))


def log_in(db, email: str, password: str, now: datetime | None = None) -> dict:
    """The account for these credentials.

    Failures are counted per email in PostgreSQL, so every process applies the same brake.
    A login, and a wrong password for an existing account, go in the audit trail (unknown emails
    don't: the trail is never pruned, and a guesser could fill it).
    :raise LoginLocked: 5 failures within 15 minutes; even the right password waits.
    :raise LoginRefused: unknown email or wrong password (the same answer for both).
    """
    email = normalise_email(email)
    now = now or datetime.now(timezone.utc)
    with db.transaction() as cur:
        if admins.count_login_failures(cur, email, now - FAILURE_WINDOW) >= MAX_FAILURES:
            raise LoginLocked()
        admin = admins.get_admin_by_email(cur, email)
        # Hash even for an unknown email, so timing doesn't reveal which accounts exist.
        stored = admin["password_hash"] if admin else _decoy_hash()
        if admin is None or not check_password_hash(stored, password):
            admins.record_login_failure(cur, email, now - FAILURE_WINDOW)
            if admin is not None:
                audit.record(cur, Actor.owner(admin), LOGIN_FAILED, "admin", admin["id"])
            failed = True
        else:
            admins.clear_login_failures(cur, email)
            audit.record(cur, Actor.owner(admin), LOGIN, "admin", admin["id"])
            failed = False
    if failed:
        raise LoginRefused()  # raised after commit: the failure must stay recorded
    return {"id": admin["id"], "email": admin["email"]}


@cache
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def get_admin(db, admin_id: int) -> dict | None:
    with db.transaction() as cur:
        return admins.get_admin(cur, admin_id)


def issue_api_token(db, email: str, actor: Actor) -> str:
    """A new API token for the account (shown once; only its hash is kept, and not in the audit).

    :raise UnknownAdmin: no account with this email.
    """
    token = secrets.token_urlsafe(32)
    with db.transaction() as cur:
        admin_id = admins.set_api_token_hash(cur, normalise_email(email), _token_hash(token))
        if admin_id is None:
            raise UnknownAdmin()
        audit.record(cur, actor, API_TOKEN_CREATED, "admin", admin_id)
    return token


def admin_for_token(db, token: str) -> dict | None:
    """The account holding this API token, if any."""
    with db.transaction() as cur:
        return admins.get_admin_by_token_hash(cur, _token_hash(token))


def _token_hash(token: str) -> str:
    # The token is 256 random bits, so a plain SHA-256 (searchable, unlike a salted hash) is safe.
    return hashlib.sha256(token.encode()).hexdigest()
