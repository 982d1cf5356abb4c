"""Serve the website chat widget and a demo clinic page from our own host.

The widget's files and the pinned socket.io client (installed by `npm ci` into
widget/node_modules) come from here, never from a CDN, so a visitor's browser
talks to no third party. The demo page learns where the Rasa server is from
the environment, and its Content-Security-Policy lets it connect nowhere else.

Settings (settings.py, docs/configuration.md): WIDGET_PORT and HOST, where it listens;
RASA_PUBLIC_URL (else http://HOST:RASA_PORT), the Rasa server as a visitor's browser reaches it.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Dict, Mapping, Optional

from aiohttp import web
from aiohttp.typedefs import Handler

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the project's own modules, when run as a script

import settings  # noqa: E402

DEMO_PAGE = HERE / "demo" / "index.html"
# URL path -> file. The widget loads its CSS and the socket.io client next to widget.js.
ASSETS: Dict[str, Path] = {
    "/widget/widget.js": HERE / "static" / "widget.js",
    "/widget/widget.css": HERE / "static" / "widget.css",
    "/widget/socket.io.min.js": HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
    "/demo.css": HERE / "demo" / "demo.css",
}
RASA_URL_KEY = web.AppKey("rasa_url", str)
# It only serves files: no route reads a body, so anything beyond a stray few bytes is refused (413).
MAX_REQUEST_BYTES = 1024
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cache-Control": "no-cache",
}


def rasa_public_url(env: Optional[Mapping[str, str]] = None) -> str:
    """The Rasa server's origin as the browser sees it, from this process's settings or those ``env`` gives.

    It goes into the page and its Content-Security-Policy, so anything but a plain
    http(s) origin (a path, quotes, a semicolon) is refused rather than escaped.
    """
    config = settings.get() if env is None else settings.read(env)
    return settings.plain_origin(
        "RASA_PUBLIC_URL", config.RASA_PUBLIC_URL or f"http://{config.HOST}:{config.RASA_PORT}"
    )


def content_security_policy(rasa_url: str) -> str:
    """Scripts and styles from this host only; sockets to the Rasa server only."""
    socket_url = "ws" + rasa_url[len("http") :]  # http -> ws, https -> wss
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {rasa_url} {socket_url}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


async def demo_page(request: web.Request) -> web.Response:
    rasa_url = request.app[RASA_URL_KEY]
    page = DEMO_PAGE.read_text(encoding="utf-8").replace("{{rasa_url}}", html.escape(rasa_url, quote=True))
    return web.Response(
        text=page,
        content_type="text/html",
        headers={
            "Content-Security-Policy": content_security_policy(rasa_url),
        },
    )


async def asset(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(ASSETS[request.path])


@web.middleware
async def refuse_large_bodies(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body is read (up to client_max_size, else 413) before any route runs, even a chunked one.

    aiohttp checks client_max_size only when a handler reads the body, and these never do.
    """
    if request.content_length is not None and request.content_length >= request.client_max_size:
        raise web.HTTPRequestEntityTooLarge(max_size=request.client_max_size, actual_size=request.content_length)
    if request.body_exists:
        await request.read()
    return await handler(request)


async def add_security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """Every response, errors and files included, gets the same protective headers."""
    response.headers.update(COMMON_HEADERS)
    response.headers.setdefault("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")


def create_app(rasa_url: str) -> web.Application:
    # After a 413, close the connection rather than read and drop the rest of the body (aiohttp: 10 s).
    app = web.Application(
        client_max_size=MAX_REQUEST_BYTES, middlewares=[refuse_large_bodies], handler_args={"lingering_time": 0}
    )
    app.on_response_prepare.append(add_security_headers)
    app[RASA_URL_KEY] = rasa_url
    app.router.add_get("/", demo_page)
    for path in ASSETS:
        app.router.add_get(path, asset)
    return app


def main() -> int:
    missing = [str(path) for path in ASSETS.values() if not path.exists()]
    if missing:
        print(f"Missing {', '.join(missing)}: run `npm ci` in widget/ (make setup does).", file=sys.stderr)
        return 2
    try:
        rasa_url = rasa_public_url()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    web.run_app(
        create_app(rasa_url),
        host=settings.get().HOST,
        port=settings.get().WIDGET_PORT,
        print=None,
        access_log=None,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
