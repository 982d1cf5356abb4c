"""serve/rasa_server.py: Rasa's check of action server replies, built once, gives Rasa's verdicts;
the HTTP API's token is taken only from the Authorization header."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.server import ErrorResponse
from sanic import Sanic
from sanic.compat import Header
from sanic.request import Request
from sanic.response import HTTPResponse, json

from serve import rasa_server
from serve.rasa_api import api_headers
from serve.run import commands

ROOT = Path(__file__).resolve().parent.parent
ACTION = RemoteAction("action_answer_faq", None)

VALID = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "office", "value": "stamford", "timestamp": None}],
        "responses": [
            {
                "text": "Hello",
                "buttons": [{"title": "Book", "payload": "/request_appointment"}],
                "response": "utter_greet",
                "custom": {},
                "image": None,
                "attachment": None,
                "elements": [],
            }
        ],
    },
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "action_listen"}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot"}]},  # a slot event needs a name
    {"responses": "hello"},
]


@pytest.mark.parametrize("result", VALID)
def test_a_valid_reply_passes_as_it_does_in_rasa(result: Dict[str, Any]) -> None:
    assert rasa_server.rasa_validate_action_result(ACTION, result) is True
    assert rasa_server.validate_action_result(ACTION, result) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_reply_is_refused_with_rasas_own_error(result: Dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as rasa_error:
        rasa_server.rasa_validate_action_result(ACTION, result)
    with pytest.raises(ValidationError) as our_error:
        rasa_server.validate_action_result(ACTION, result)
    assert our_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in our_error.value.message


API_TOKEN = "the-api-token"
API = Sanic("api_token_test")


@rasa_server.requires_auth(API, API_TOKEN)
async def protected(request: Request) -> HTTPResponse:
    return json({"answered": True})


def status(url: str, headers: Dict[str, str]) -> int:
    """What the protected route answers a GET of ``url`` with these headers."""
    request = Request(url.encode(), Header(headers), "1.1", "GET", None, API)
    try:
        return asyncio.run(protected(request)).status
    except ErrorResponse as refusal:
        return refusal.status


def test_the_api_answers_the_token_in_the_authorization_header() -> None:
    assert status("/status", api_headers(API_TOKEN)) == 200
    assert status("/status", {"Authorization": f"token  {API_TOKEN} "}) == 200  # the scheme is case-insensitive


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/status", {}),
        (f"/status?token={API_TOKEN}", {}),  # Rasa's own way, which logs keep
        (f"/status?token={API_TOKEN}", api_headers(API_TOKEN)),
        ("/status?token=", api_headers(API_TOKEN)),
        ("/status", api_headers("wrong")),
        ("/status", api_headers(API_TOKEN + "x")),
        ("/status", api_headers(API_TOKEN[:-1])),
        ("/status", {"Authorization": f"Bearer {API_TOKEN}"}),  # JWT's scheme, not the token's
        ("/status", {"Authorization": API_TOKEN}),
    ],
)
def test_the_api_refuses_a_token_in_the_url_or_a_wrong_one(url: str, headers: Dict[str, str]) -> None:
    assert status(url, headers) == 401


def test_run_py_starts_rasa_through_the_fixed_command_line() -> None:
    command = commands({"RASA_API_TOKEN": "t", "RASA_CREDENTIALS": "c.yml", "RASA_RUNTIME_ENDPOINTS": "e.yml"})
    assert command["rasa server"][1:4] == ["-m", "serve.rasa_server", "run"]


@pytest.mark.slow  # starts the rasa command
def test_the_command_line_is_rasas_own() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "serve.rasa_server", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Rasa Version      :         3.6" in result.stdout


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.model
def test_the_worker_processes_stop_when_the_rasa_server_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves no orphaned Rasa worker holding the port (serve/rasa_server.py)."""
    from scripts.servers import LocalAssistant, descendants

    assistant, workers = LocalAssistant(tmp_path), []
    try:
        assistant.wait_until_up()
        server = assistant.server_pids()["rasa server"]
        workers = descendants(server)
        assert len(workers) == 2
        os.kill(server, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(running(pid) for pid in workers):
            time.sleep(0.2)
        assert not [pid for pid in workers if running(pid)]
    finally:
        assistant.stop()
        for pid in workers:  # never left behind, even when this test fails
            if running(pid):
                os.kill(pid, signal.SIGKILL)
