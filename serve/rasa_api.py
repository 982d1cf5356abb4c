"""Rasa's HTTP API token travels only in the ``Authorization: Token <token>`` header.

Rasa 3.6 reads it from the URL (``?token=``), which access logs, proxies and error reports keep,
and compares it with ``==``. serve/rasa_server.py checks the header instead, in constant time,
and refuses a token in the URL; every caller of the API sends ``api_headers``. The Authorization
header, unlike a custom one, is what HTTP clients treat as a credential (requests drops it on a
redirect to another host); the ``Token`` scheme keeps it apart from Rasa's JWT ``Bearer``.
"""

from __future__ import annotations

import hmac
from typing import Dict, Mapping

SCHEME = "Token"


def api_headers(token: str) -> Dict[str, str]:
    """The headers that authenticate a call to Rasa's HTTP API."""
    return {"Authorization": f"{SCHEME} {token}"}


def holds_token(headers: Mapping[str, str], token: str) -> bool:
    """Whether the request's Authorization header carries ``token``, compared in constant time."""
    scheme, _, sent = headers.get("Authorization", "").strip().partition(" ")
    return scheme.lower() == SCHEME.lower() and hmac.compare_digest(sent.strip().encode(), token.encode())
