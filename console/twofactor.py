"""The second factor: TOTP (RFC 6238) from an authenticator app, and one-time recovery codes.

Codes are pyotp's: six digits, 30-second steps, SHA-1, which every authenticator app reads from
the otpauth:// QR code. A code from the step before or after is accepted (a phone's clock drifts),
but each step only once per account (ASVS 2.8.4). Recovery codes have 50 random bits each and
are stored as salted SHA-256 digests, deleted when used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import secrets
import time
from typing import List, Optional

import pyotp
import qrcode
import qrcode.image.svg
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from records.models import staff_recovery_codes, staff_sessions, staff_users

ISSUER = "Ki_Ketamine console"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg_data_uri(text: str) -> str:
    """The QR code as an SVG data: URI, drawn on the server (no script, allowed by the page's CSP)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def matching_step(secret: str, code: str, after_step: int, now: Optional[float] = None) -> Optional[int]:
    """The time step (previous, current or next) whose code this is, if later than ``after_step``."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // totp.interval)
    for step in (current - 1, current, current + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(engine: Engine, user_id: int, code: str) -> bool:
    """Check a TOTP code for an enrolled account and spend its time step."""
    with engine.begin() as connection:
        row = connection.execute(select(staff_users).where(staff_users.c.id == user_id)).first()
        if row is None or not row.totp_secret:
            return False
        step = matching_step(row.totp_secret, code, row.totp_last_step)
        if step is None:
            return False
        spent = connection.execute(
            update(staff_users)
            .where(staff_users.c.id == user_id, staff_users.c.totp_last_step < step)
            .values(totp_last_step=step)
        )
        return spent.rowcount == 1  # another request spending the same code at once loses


def replayed(engine: Engine, user_id: int, code: str) -> bool:
    """A code from a step already spent: someone may have watched it typed (logged apart, ASVS 2.8.5)."""
    with engine.connect() as connection:
        row = connection.execute(select(staff_users).where(staff_users.c.id == user_id)).first()
    return bool(row and row.totp_secret) and matching_step(row.totp_secret, code, -1) is not None


def _code_digest(code: str, salt: bytes) -> str:
    return salt.hex() + "$" + hashlib.sha256(salt + code.encode("ascii", "replace")).hexdigest()


def _normal(code: str) -> str:
    return "".join(code.lower().split()).replace("-", "")


def enable(engine: Engine, user_id: int, secret: str, step: int) -> List[str]:
    """Turn two-factor on with a checked secret; returns new recovery codes, shown once and never again."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    with engine.begin() as connection:
        connection.execute(
            update(staff_users).where(staff_users.c.id == user_id).values(totp_secret=secret, totp_last_step=step)
        )
        connection.execute(delete(staff_recovery_codes).where(staff_recovery_codes.c.user_id == user_id))
        for code in codes:
            connection.execute(
                insert(staff_recovery_codes).values(user_id=user_id, code_hash=_code_digest(code, os.urandom(16)))
            )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def use_recovery_code(engine: Engine, user_id: int, code: str) -> bool:
    """A recovery code in place of a TOTP code; each works once."""
    code = _normal(code)
    with engine.begin() as connection:
        for row in connection.execute(
            select(staff_recovery_codes).where(staff_recovery_codes.c.user_id == user_id)
        ).all():
            salt = bytes.fromhex(row.code_hash.split("$", 1)[0])
            if hmac.compare_digest(_code_digest(code, salt), row.code_hash):
                deleted = connection.execute(delete(staff_recovery_codes).where(staff_recovery_codes.c.id == row.id))
                return deleted.rowcount == 1
    return False


def recovery_codes_left(engine: Engine, user_id: int) -> int:
    with engine.connect() as connection:
        return len(
            connection.execute(select(staff_recovery_codes.c.id).where(staff_recovery_codes.c.user_id == user_id)).all()
        )


def reset(engine: Engine, username: str) -> bool:
    """Turn two-factor off for an account (a lost phone, no codes left) and end its sessions: it enrols again."""
    with engine.begin() as connection:
        user_id = connection.execute(select(staff_users.c.id).where(staff_users.c.username == username)).scalar()
        if user_id is None:
            return False
        connection.execute(
            update(staff_users).where(staff_users.c.id == user_id).values(totp_secret=None, totp_last_step=0)
        )
        connection.execute(delete(staff_recovery_codes).where(staff_recovery_codes.c.user_id == user_id))
        connection.execute(delete(staff_sessions).where(staff_sessions.c.user_id == user_id))
        return True
