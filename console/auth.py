"""Staff accounts, passwords, sessions and sign-in throttling.

Passwords are hashed with scrypt (memory-hard, in the standard library) and a
per-user salt. A session is a random cookie whose SHA-256 digest is stored with
an expiry that slides with use; each session has its own CSRF token. A session
opened by a password alone is not ``verified`` until the second factor is given
(console/twofactor.py), and each step of signing in issues a new cookie. Failed
sign-ins and codes are stored, so throttling survives a restart and covers every worker.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, List, Optional

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Engine, Row

import settings
from console.passwords import check_password, password_problem
from records.models import audit_log, login_attempts, staff_recovery_codes, staff_sessions, staff_users, utcnow

ROLES = ("admin", "staff")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# A session ends after this long without use, and in any case after SESSION_MAX.
SESSION_IDLE = timedelta(minutes=settings.get().CONSOLE_SESSION_MINUTES)
SESSION_MAX = timedelta(hours=12)
# Failed sign-ins allowed per window, for one username and for one address.
ATTEMPT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_IP = 20


@dataclass(frozen=True)
class StaffUser:
    id: int
    username: str
    role: str
    enrolled: bool  # has a checked TOTP secret
    must_change_password: bool  # its password is one now refused (ASVS 2.1.7 at sign-in)


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, the token its forms must carry, and whether the second factor was given."""

    user: StaffUser
    csrf_token: str
    session_id: int
    verified: bool
    totp_pending: Optional[str]


def _user(row: Any) -> StaffUser:
    return StaffUser(row.id, row.username, row.role, bool(row.totp_secret), bool(row.must_change_password))


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encode = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt)}${encode(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate, base64.b64decode(digest))


# Checked against when the username is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def create_user(engine: Engine, username: str, password: str, role: str) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("username: 1-64 letters, digits, '.', '-' or '_'")
    check_password(password, username)
    with engine.begin() as connection:
        if connection.execute(select(staff_users.c.id).where(staff_users.c.username == username)).first():
            raise ValueError(f"user {username!r} already exists")
        result = connection.execute(
            insert(staff_users).values(username=username, password_hash=hash_password(password), role=role)
        )
        return StaffUser(result.inserted_primary_key[0], username, role, False, False)


def set_password(engine: Engine, username: str, password: str) -> bool:
    """Change a password and end that person's sessions; False if there is no such user."""
    check_password(password, username)
    with engine.begin() as connection:
        user_id = connection.execute(select(staff_users.c.id).where(staff_users.c.username == username)).scalar()
        if user_id is None:
            return False
        connection.execute(
            update(staff_users)
            .where(staff_users.c.id == user_id)
            .values(password_hash=hash_password(password), must_change_password=0)
        )
        connection.execute(delete(staff_sessions).where(staff_sessions.c.user_id == user_id))
        return True


def remove_user(engine: Engine, username: str) -> bool:
    """Delete an account and its sessions (someone left); their audit entries stay."""
    with engine.begin() as connection:
        user_id = connection.execute(select(staff_users.c.id).where(staff_users.c.username == username)).scalar()
        if user_id is None:
            return False
        connection.execute(delete(staff_sessions).where(staff_sessions.c.user_id == user_id))
        connection.execute(delete(staff_recovery_codes).where(staff_recovery_codes.c.user_id == user_id))
        connection.execute(delete(staff_users).where(staff_users.c.id == user_id))
        return True


def throttled(engine: Engine, username: str, ip: str) -> bool:
    """Too many recent failures for this username or from this address."""
    since = utcnow() - ATTEMPT_WINDOW

    def failures(where: Any) -> Any:
        return (
            select(func.count())
            .select_from(login_attempts)
            .where(and_(where, login_attempts.c.succeeded == 0, login_attempts.c.at >= since))
        )

    with engine.connect() as connection:
        by_user = connection.execute(failures(login_attempts.c.username == username.strip().lower()[:64])).scalar_one()
        by_ip = connection.execute(failures(login_attempts.c.ip == ip)).scalar_one()
    return by_user >= MAX_FAILURES_PER_USER or by_ip >= MAX_FAILURES_PER_IP


def authenticate(engine: Engine, username: str, password: str, ip: str) -> Optional[StaffUser]:
    """Check a sign-in and record the attempt; None on failure (callers check `throttled` first)."""
    username = username.strip().lower()[:64]
    with engine.connect() as connection:
        row = connection.execute(select(staff_users).where(staff_users.c.username == username)).first()
    ok = verify_password(password, row.password_hash if row else _DUMMY_HASH) and row is not None
    record_attempt(engine, username, ip, ok)
    if not ok:
        return None
    refused = password_problem(password, username) is not None
    if refused != bool(row.must_change_password):
        with engine.begin() as connection:
            connection.execute(
                update(staff_users).where(staff_users.c.id == row.id).values(must_change_password=int(refused))
            )
    return replace(_user(row), must_change_password=refused)


def record_attempt(engine: Engine, username: str, ip: str, ok: bool) -> None:
    """A password or a code tried: failures of either count towards ``throttled``."""
    with engine.begin() as connection:
        connection.execute(insert(login_attempts).values(username=username[:64], ip=ip[:64], succeeded=int(ok)))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start_session(
    engine: Engine, user: StaffUser, ip: str, verified: bool = False, replacing: Optional[str] = None
) -> str:
    """A new session, with a new cookie value (returned), in place of the one ``replacing`` names.

    Signing in, giving the second factor and changing one's password each call it, so a cookie
    an attacker planted or saw before is worth nothing after (ASVS 3.2.1).
    """
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(delete(staff_sessions).where(staff_sessions.c.expires_at < now))
        if replacing:
            connection.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == _digest(replacing)))
        connection.execute(
            insert(staff_sessions).values(
                token_hash=_digest(token),
                user_id=user.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + SESSION_IDLE,
                verified=int(verified),
                ip=ip[:64],
                last_seen_at=now,
            )
        )
    return token


def resume_session(engine: Engine, token: Optional[str], extend: bool = True) -> Optional[SignedIn]:
    """The session behind a cookie, if it is live; using it (``extend``) pushes its expiry back."""
    if not token:
        return None
    now = utcnow()
    with engine.begin() as connection:
        row = connection.execute(
            select(
                staff_sessions,
                staff_users.c.username,
                staff_users.c.role,
                staff_users.c.totp_secret,
                staff_users.c.must_change_password,
            )
            .join(staff_users, staff_users.c.id == staff_sessions.c.user_id)
            .where(staff_sessions.c.token_hash == _digest(token))
        ).first()
        if row is None:
            return None
        if row.expires_at <= now or row.created_at + SESSION_MAX <= now:
            connection.execute(delete(staff_sessions).where(staff_sessions.c.id == row.id))
            return None
        if extend:
            connection.execute(
                update(staff_sessions)
                .where(staff_sessions.c.id == row.id)
                .values(expires_at=min(now + SESSION_IDLE, row.created_at + SESSION_MAX), last_seen_at=now)
            )
    return SignedIn(
        StaffUser(row.user_id, row.username, row.role, bool(row.totp_secret), bool(row.must_change_password)),
        row.csrf_token,
        row.id,
        bool(row.verified),
        row.totp_pending,
    )


def set_pending_secret(engine: Engine, session_id: int, secret: Optional[str]) -> None:
    """Keep a TOTP secret being enrolled with the session until a code from it is checked."""
    with engine.begin() as connection:
        connection.execute(update(staff_sessions).where(staff_sessions.c.id == session_id).values(totp_pending=secret))


def sessions_of(engine: Engine, user_id: int) -> List[Row]:
    """One person's live sessions, the latest used first: the account page lists them."""
    with engine.connect() as connection:
        return connection.execute(
            select(staff_sessions)
            .where(staff_sessions.c.user_id == user_id, staff_sessions.c.expires_at > utcnow())
            .order_by(staff_sessions.c.last_seen_at.desc())
        ).all()


def end_sessions_of(engine: Engine, user_id: int, keep: int, only: Optional[int] = None) -> int:
    """End this person's sessions but ``keep`` (all others, or just ``only``); how many ended."""
    query = delete(staff_sessions).where(staff_sessions.c.user_id == user_id, staff_sessions.c.id != keep)
    if only is not None:
        query = query.where(staff_sessions.c.id == only)
    with engine.begin() as connection:
        return connection.execute(query).rowcount


def end_session(engine: Engine, token: Optional[str]) -> None:
    if token:
        with engine.begin() as connection:
            connection.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == _digest(token)))


def audit(
    engine: Engine,
    username: str,
    action: str,
    target: Optional[str] = None,
    detail: Optional[str] = None,
    ip: Optional[str] = None,
) -> None:
    """Record who did what to which record; the admin's audit page reads these."""
    with engine.begin() as connection:
        connection.execute(
            insert(audit_log).values(
                username=username,
                action=action,
                target=(target or "")[:255] or None,
                detail=detail,
                ip=ip,
            )
        )
