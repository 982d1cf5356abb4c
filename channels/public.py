"""The address the providers call us on, which behind a proxy is not the one we see."""

from __future__ import annotations

import os
from typing import Optional

from sanic.request import Request


def public_base_url() -> Optional[str]:
    """``PUBLIC_BASE_URL``, e.g. https://assistant.example.com: where the providers reach this server."""
    base = os.getenv("PUBLIC_BASE_URL", "").strip().rstrip("/")
    return base or None


def public_url(request: Request) -> str:
    """The URL the provider signed: the public base plus our path and query, else what Sanic saw."""
    base = public_base_url()
    if base is None:
        return request.url
    query = f"?{request.query_string}" if request.query_string else ""
    return f"{base}{request.path}{query}"
