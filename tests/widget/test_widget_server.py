"""widget/server.py over real HTTP: what it serves and the headers that protect the page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
import requests

from serve.run import free_port
from tests.raw_http import chunked_head, chunks_past, content_length_head, raw_request
from tests.widget.conftest import ROOT, WidgetServer
from widget.server import MAX_REQUEST_BYTES, rasa_public_url

RASA = "http://127.0.0.1:5999"


@pytest.fixture(scope="module")
def page_url(widget_server: WidgetServer) -> str:
    return widget_server(RASA)


def test_demo_page_embeds_the_widget_with_the_rasa_url_from_the_environment(page_url: str) -> None:
    response = requests.get(page_url, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert f'data-server-url="{RASA}"' in response.text
    assert response.text.count("<script") == 1  # the whole embed is one tag


def test_page_may_connect_only_to_itself_and_the_rasa_server(page_url: str) -> None:
    policy = requests.get(page_url, timeout=5).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["connect-src"] == f"'self' {RASA} ws://127.0.0.1:5999"
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "path, kind",
    [
        ("widget/widget.js", "javascript"),
        ("widget/widget.css", "text/css"),
        ("widget/socket.io.min.js", "javascript"),
        ("demo.css", "text/css"),
    ],
)
def test_assets_are_served_from_this_host_with_protective_headers(page_url: str, path: str, kind: str) -> None:
    response = requests.get(page_url + path, timeout=5)
    assert response.status_code == 200 and kind in response.headers["Content-Type"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_served_socket_io_client_is_the_version_pinned_in_the_lockfile(page_url: str) -> None:
    lock = json.loads((ROOT / "widget" / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/socket.io-client"]["version"]
    assert json.loads((ROOT / "widget" / "package.json").read_text())["dependencies"]["socket.io-client"] == pinned
    assert f"Socket.IO v{pinned}" in requests.get(page_url + "widget/socket.io.min.js", timeout=5).text[:200]


@pytest.mark.parametrize(
    "path",
    [
        "widget/server.py",
        "widget/../server.py",
        "widget/node_modules/ws/index.js",
        "node_modules/socket.io-client/package.json",
        "nothing-here",
    ],
)
def test_nothing_but_the_listed_files_is_served(page_url: str, path: str) -> None:
    response = requests.get(page_url + path, timeout=5)
    assert response.status_code == 404
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "http://127.0.0.1:5005"),
        ({"HOST": "0.0.0.0", "RASA_PORT": "7000"}, "http://0.0.0.0:7000"),
        ({"RASA_PUBLIC_URL": "https://chat.example.org/"}, "https://chat.example.org"),
    ],
)
def test_rasa_url_comes_from_the_environment(env: dict, expected: str) -> None:
    assert rasa_public_url(env) == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://x.org/path",
        "chat.example.org",
        'http://a" onload="x',
        "http://a.org; script-src *",
        "http://user@a.org",
    ],
)
def test_a_rasa_url_that_is_not_a_plain_origin_is_refused_at_start(url: str) -> None:
    with pytest.raises(ValueError):
        rasa_public_url({"RASA_PUBLIC_URL": url})
    result = subprocess.run(
        [sys.executable, str(ROOT / "widget" / "server.py")],
        capture_output=True,
        text=True,
        env=dict(os.environ, RASA_PUBLIC_URL=url, WIDGET_PORT="1"),
        timeout=30,
    )
    assert result.returncode == 2 and "RASA_PUBLIC_URL" in result.stderr


def test_run_py_reports_a_widget_port_in_use_before_starting_anything() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(
            os.environ,
            RASA_PORT=str(free_port()),
            ACTION_PORT=str(free_port()),
            WIDGET_PORT=str(port),
            HOST="127.0.0.1",
            RASA_API_TOKEN="unused",
        )
        result = subprocess.run(
            [sys.executable, str(ROOT / "serve" / "run.py")], capture_output=True, text=True, env=env, timeout=60
        )
    assert result.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr and "WIDGET_PORT=<port>" in result.stderr


@pytest.mark.parametrize(
    "head, body",
    [
        (content_length_head("/", 10 * 1024 * 1024, method="GET"), [b"x" * 1024]),
        (chunked_head("/widget/widget.js", method="GET"), chunks_past(MAX_REQUEST_BYTES)),
        (content_length_head("/", 100 * 1024 * 1024), [b"x" * 1024]),
    ],
    ids=["content-length", "chunked", "post"],
)
def test_a_request_body_is_refused_before_it_is_read(page_url: str, head: str, body) -> None:
    # The server only serves files: no route reads a body, so it takes none beyond a stray kilobyte.
    port = int(page_url.rstrip("/").rsplit(":", 1)[1])
    assert raw_request(port, head, body) == "HTTP/1.1 413 Request Entity Too Large"
    assert requests.get(page_url, timeout=5).status_code == 200
