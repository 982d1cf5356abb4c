"""Rasa's own command line (``rasa run ...``), without a per-call cost of Rasa 3.6 found by profiling.

After every custom action Rasa checks the action server's reply against its
response schema with ``jsonschema.validate``, which first validates the
*schema itself* against the JSON Schema meta-schema, on every call: 3.4 ms a
call, against 0.5 ms for the same check with a validator built once. A
booking turn makes two or three such calls. A reply that fails the check
still goes through Rasa's own method, so its error and message are Rasa's.

With several Sanic workers (``SANIC_WORKERS``, from ``RASA_WORKERS``) Rasa forks
its worker processes; each is asked to stop when the Rasa server dies, even by
SIGKILL, instead of keeping the port open: SIGTERM at once, and, should Sanic's
graceful stop hang (a worker was seen idle in epoll_wait with its handler
installed, one time in two or three), it exits for good ``GRACE_SECONDS`` later.

The HTTP API's token (RASA_API_TOKEN, from the environment rather than the
command line) is taken only from the ``Authorization: Token <token>`` header and
compared in constant time (serve/rasa_api.py); Rasa's own check reads ``?token=``
from the URL and compares with ``==``. A token in the URL gets 401.

Everything else is ``rasa`` itself: ``python -m serve.rasa_server run ...``
takes the same arguments as ``rasa run ...``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from functools import lru_cache, wraps
from http import HTTPStatus
from inspect import isawaitable
from typing import Any, Callable, Dict, Optional, Text

import rasa.server
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.server import ErrorResponse
from sanic import Sanic
from sanic.request import Request

import settings
from serve.rasa_api import holds_token
from serve.run import die_with_parent

rasa_validate_action_result = RemoteAction._validate_action_result
rasa_requires_auth = rasa.server.requires_auth
GRACE_SECONDS = 5.0


@lru_cache(maxsize=1)
def action_result_validator() -> Draft7Validator:
    """What ``jsonschema.validate`` builds for Rasa's schema (Draft 7, its default), built once."""
    schema = RemoteAction.action_response_format_spec()
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def validate_action_result(action: RemoteAction, result: Dict[Text, Any]) -> bool:
    if best_match(action_result_validator().iter_errors(result)) is None:
        return True
    return rasa_validate_action_result(action, result)  # raises Rasa's own ValidationError


def requires_auth(app: Sanic, token: Optional[Text] = None) -> Callable[[Callable], Callable]:
    """Rasa's decorator of its protected routes, with the token read only from the Authorization header.

    The token is RASA_API_TOKEN from the environment, where serve/run.py puts it: on the command
    line (``--auth-token``) any local user could read it with ``ps``. Without a token (JWT, or an
    API with no authentication) Rasa's own check decides, as before; a request that carries
    ``token`` in its URL is refused whatever else it holds.
    """
    expected = token or settings.get().RASA_API_TOKEN or None

    def decorator(handler: Callable) -> Callable:
        rasa_checked = rasa_requires_auth(app, expected)(handler)

        @wraps(handler)
        async def decorated(request: Request, *args: Any, **kwargs: Any) -> Any:
            if "token" in request.get_args(keep_blank_values=True):
                raise ErrorResponse(
                    HTTPStatus.UNAUTHORIZED,
                    "NotAuthenticated",
                    "Send the token in the Authorization header (Authorization: Token <token>), not in the URL.",
                )
            if expected is not None and holds_token(request.headers, expected):
                result = handler(request, *args, **kwargs)
                return await result if isawaitable(result) else result
            return await rasa_checked(request, *args, **kwargs)

        return decorated

    return decorator


def stop_with_the_server() -> None:
    """In each forked worker: SIGTERM when the Rasa server dies, and a hard exit if that stop hangs."""
    die_with_parent()
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(0.5)
        time.sleep(GRACE_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="stop-with-the-server", daemon=True).start()


def main() -> Any:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    rasa.server.requires_auth = requires_auth  # create_app decorates its routes with it when `rasa run` starts
    os.register_at_fork(after_in_child=stop_with_the_server)
    from rasa.__main__ import main as rasa_main

    return rasa_main()


if __name__ == "__main__":
    sys.exit(main())
