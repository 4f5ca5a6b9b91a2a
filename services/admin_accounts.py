"""Shop-owner accounts: creating them, logging in (with a brake on guessing) and API tokens."""
import hashlib
import secrets
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from db import admins, audit
from models import login_throttle
from models.admin_errors import InvalidAccount, LoginLocked, LoginRefused, UnknownAdmin
from models.audit import API_TOKEN_CREATED, LOGIN, LOGIN_FAILED, Actor

MIN_PASSWORD = 8
MAX_EMAIL = 254  # RFC 5321
# The login_throttle address that stands for "any address": the per-account ceiling.
ACCOUNT_WIDE = "*"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_admin(db, email: str, password: str) -> int:
    """Create an owner account, or reset its password; returns its id.

    :raise InvalidAccount: no plausible email, or a password shorter than 8 characters.
    """
    email = normalise_email(email)
    if "@" not in email or len(email) > MAX_EMAIL or len(password) < MIN_PASSWORD:
        raise InvalidAccount()
    with db.transaction() as cur:
        return admins.save_admin(cur, email, generate_password_hash(password))


def log_in(db, email: str, password: str, address: str) -> dict:
    """The account for these credentials, tried from the client `address`.

    The try is counted and committed before the password is checked, one row lock at a time,
    so racing requests get no more checks than the brake allows (models/login_throttle.py).
    A login, and a wrong password for an existing account, go in the audit trail (unknown emails
    don't: the trail is never pruned, and a guesser could fill it).
    :raise LoginLocked: too many tries from this address (or for the account); not checked.
    :raise LoginRefused: unknown email or wrong password (the same answer for both).
    """
    email = normalise_email(email)
    if len(email) > MAX_EMAIL:
        raise LoginRefused()
    address = (address or "unknown")[:64]
    with db.transaction() as cur:
        # Always the address row first, then the account row: no two logins lock in a cycle.
        verdict = _count_try(cur, email, address, login_throttle.PER_ADDRESS)
        if verdict.allowed:
            verdict = _count_try(cur, email, ACCOUNT_WIDE, login_throttle.PER_ACCOUNT)
        admin = admins.get_admin_by_email(cur, email)
    if not verdict.allowed:
        raise LoginLocked(verdict.retry_after)
    # Hash even for an unknown email, so timing doesn't reveal which accounts exist.
    stored = admin["password_hash"] if admin else _decoy_hash()
    if not check_password_hash(stored, password) or admin is None:
        if admin is not None:
            # Its own transaction: the try was counted and committed before the check.
            with db.transaction() as cur:
                audit.record(cur, Actor.owner(admin), LOGIN_FAILED, "admin", admin["id"])
        raise LoginRefused()
    with db.transaction() as cur:
        admins.forgive_success(cur, email, address, ACCOUNT_WIDE)
        audit.record(cur, Actor.owner(admin), LOGIN, "admin", admin["id"])
    return {"id": admin["id"], "email": admin["email"],
            "session_version": admin["session_version"]}


def _count_try(cur, email: str, address: str, brake):
    tally, now = admins.lock_throttle(cur, email, address)
    verdict = login_throttle.next_try(brake, tally, now)
    if verdict.allowed:
        admins.save_throttle(cur, email, address, verdict.tally, now - brake.forget_after)
    return verdict


@cache
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def get_admin(db, admin_id: int) -> dict | None:
    """The account with its current session version (sessions of older versions are over)."""
    with db.transaction() as cur:
        return admins.get_admin(cur, admin_id)


def end_sessions(db, email: str) -> None:
    """End every session of the account at once (logout, `revoke-sessions`).

    :raise UnknownAdmin: no account with this email.
    """
    with db.transaction() as cur:
        if admins.end_sessions(cur, normalise_email(email)) is None:
            raise UnknownAdmin()


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
