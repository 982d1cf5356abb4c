"""Rasa's action server (rasa-sdk), answering only callers that hold the shared token.

The custom actions write appointment requests and escalations, so only the Rasa
servers may call them. Loopback binding (ACTION_HOST) keeps other machines out;
the token keeps out other processes on this machine and, in a profile with
several hosts, everyone but the Rasa servers. When ACTION_SERVER_TOKEN is set,
every request but ``GET /health`` must carry it in the X-Action-Server-Token
header, which Rasa sends from endpoints.yml (``action_endpoint.headers``).

rasa-sdk has no authentication setting; its one extension point is a pluggy
hook that receives the Sanic app before it starts, so the check is added there
and everything else is rasa-sdk's own ``python -m rasa_sdk``. This module lives
outside ``actions/`` because rasa-sdk imports every module of that package.

Usage: python -m serve.action_server --actions actions --port 5055
"""

from __future__ import annotations

import hmac
import logging
from typing import Optional

import pluggy
from rasa_sdk.__main__ import main as rasa_sdk_main
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

import settings

TOKEN_HEADER = "X-Action-Server-Token"
OPEN_PATHS = frozenset({"/health"})
hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)


def require_token(app: Sanic, token: str) -> None:
    """Refuse (403) every request but the open paths unless it carries ``token``."""
    expected = token.encode()

    @app.on_request
    async def check_token(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        sent = request.headers.get(TOKEN_HEADER, "").encode()
        if hmac.compare_digest(sent, expected):
            return None
        return json({"error": f"This action server answers only the Rasa server ({TOKEN_HEADER})."}, status=403)


class SharedToken:
    """rasa-sdk plugin: adds the token check to the action server's app."""

    def __init__(self, token: str) -> None:
        self.token = token

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        require_token(app, self.token)


def main() -> None:
    token = settings.get().ACTION_SERVER_TOKEN
    if token:
        plugin_manager().register(SharedToken(token))
    else:
        logger.warning("ACTION_SERVER_TOKEN is not set: any process that reaches the action server may call it.")
    rasa_sdk_main()


if __name__ == "__main__":
    main()
