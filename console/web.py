"""What every console response shares: cookie names and attributes, security headers, the caller's address.

Read once from settings: over HTTPS (CONSOLE_SECURE_COOKIES=1) the cookies are ``Secure`` and take
the ``__Host-`` prefix, which a browser accepts only from a secure origin, with ``Path=/`` and no
``Domain``, so no other host or plain-HTTP page can set or overwrite them (ASVS 3.4.1-3.4.5).
"""

from __future__ import annotations

from typing import Dict, Optional

from sanic.request import Request
from sanic.response import HTTPResponse

import settings

SECURE = settings.get().CONSOLE_SECURE_COOKIES
PREFIX = "__Host-" if SECURE else ""
SESSION_COOKIE = PREFIX + "console_session"
LOGIN_COOKIE = PREFIX + "console_login"  # double-submit CSRF token for the sign-in form, before any session
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def security_headers() -> Dict[str, str]:
    """On every response (ASVS 14.4): HSTS only over HTTPS, where a browser heeds it."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }
    if SECURE:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def set_cookie(response: HTTPResponse, name: str, value: str, max_age: Optional[int] = None) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["secure"] = SECURE
    if max_age is not None:
        cookie["max-age"] = max_age


def client_ip(request: Request) -> str:
    return request.remote_addr or request.ip or "unknown"


def local_path(target: Optional[str], default: str = "/queues") -> str:
    """Only this site's own paths: a crafted ?next= must not send staff elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
