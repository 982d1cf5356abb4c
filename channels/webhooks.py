"""What every channel's webhook shares: its blueprint, and the address the providers call it on."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import settings


def public_base_url() -> Optional[str]:
    """``PUBLIC_BASE_URL``, e.g. https://assistant.example.com: where the providers reach this server."""
    return settings.get().PUBLIC_BASE_URL


def public_url(request: Request) -> str:
    """The URL the provider signed: the public base plus our path and query, else what Sanic saw."""
    base = public_base_url()
    if base is None:
        return request.url
    query = f"?{request.query_string}" if request.query_string else ""
    return f"{base}{request.path}{query}"


def required(credentials: Optional[Dict[str, Any]], channel: str, *keys: str) -> List[str]:
    """The channel's secrets, refusing to start with one missing or empty: an empty secret would
    let anyone sign a request that passes the check."""
    missing = [key for key in keys if not str((credentials or {}).get(key) or "").strip()]
    if missing:
        raise ValueError(f"credentials for the {channel} channel lack {', '.join(missing)}")
    return [str(credentials[key]) for key in keys]  # type: ignore[index]


def webhook_blueprint(name: str) -> Blueprint:
    """A channel's routes, with the health check Rasa's own connectors answer (``GET /webhooks/<channel>/``)."""
    webhook = Blueprint(name, __name__)

    @webhook.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return webhook
