"""How large a request body each server accepts, from the environment.

Sanic accepts 100 MB and engine.io 1 MB by default; a chat message needs a few
kilobytes. The Rasa server's default leaves room for the largest webhook a
provider sends: a Telegram update with a 4,096-character text and the message
it replies to, non-ASCII escaped as \\uXXXX, is about 60 KB; Messenger may batch
several messages into one call.
"""

from __future__ import annotations

from typing import Mapping

MAX_REQUEST_BYTES = 256 * 1024  # Rasa server: webhooks, REST, socket.io messages, HTTP API
CONSOLE_MAX_REQUEST_BYTES = 64 * 1024  # staff console: sign-in and note forms
SMALLEST = 1024


def max_request_bytes(
    name: str = "MAX_REQUEST_BYTES", default: int = MAX_REQUEST_BYTES, *, env: Mapping[str, str]
) -> int:
    """The limit set in ``name`` in ``env``, or ``default``; a value that is no number of bytes stops the start.

    settings.py reads both limits with it; serve/run.py checks the environment it hands the Rasa server.
    """
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < SMALLEST:
        raise ValueError(f"{name}={raw!r}: give a number of bytes, at least {SMALLEST}")
    return int(raw)
