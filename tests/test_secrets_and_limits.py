"""Secrets come only from the environment; run.py hands out the action server's token and the size limits.

The live side (the action server refusing a caller without the token, Rasa's
API refusing one without its token, 413s) is in test_live_server.py and
test_hostile_input.py; these check the settings that lead there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest
import yaml

from serve.run import build_environment, commands, process_env
from settings import MAX_REQUEST_BYTES, max_request_bytes

ROOT = Path(__file__).resolve().parent.parent
SECRET_NAME = re.compile(r"pass|secret|token|key|auth|credential|sid|verify", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\$\{\w+\}")
PASSWORD_IN_URL = re.compile(r"://[^/@\s:]+:([^/@\s]+)@")


def settings(tree: Any, path: Tuple[str, ...] = ()) -> Iterator[Tuple[Tuple[str, ...], Any]]:
    """Every leaf value of a YAML tree with the keys leading to it."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from settings(value, path + (str(key),))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from settings(value, path + (str(index),))
    else:
        yield path, tree


def secrets_not_from_the_environment(config: Path) -> List[str]:
    """Settings that look like secrets (by name, or a password in a URL) but are not a ${VAR} placeholder."""
    found = []
    for path, value in settings(yaml.safe_load(config.read_text())):
        if value is None:
            continue
        in_url = PASSWORD_IN_URL.search(str(value))
        if in_url and not PLACEHOLDER.fullmatch(in_url.group(1)):
            found.append(".".join(path))
        elif SECRET_NAME.search(path[-1] if path else "") and not PLACEHOLDER.fullmatch(str(value)):
            found.append(".".join(path))
    return found


CONFIGS = [ROOT / "credentials.yml", *sorted(ROOT.glob("endpoints*.yml"))]


@pytest.mark.parametrize("config", CONFIGS, ids=[config.name for config in CONFIGS])
def test_every_secret_in_the_configuration_is_an_environment_placeholder(config: Path) -> None:
    assert secrets_not_from_the_environment(config) == []


def test_the_secret_check_finds_a_written_down_secret(tmp_path: Path) -> None:
    config = tmp_path / "endpoints.yml"
    config.write_text(
        "tracker_store:\n  url: postgresql://clinic:hunter2@db/rasa\n  password: hunter2\n"
        "action_endpoint:\n  headers:\n    X-Action-Server-Token: abc\n"
        "fine:\n  password: ${DB_PASSWORD}\n  url: postgresql://clinic:${DB_PASSWORD}@db/rasa\n"
    )
    assert secrets_not_from_the_environment(config) == [
        "tracker_store.url",
        "tracker_store.password",
        "action_endpoint.headers.X-Action-Server-Token",
    ]


def test_rasa_sends_the_action_server_token_from_the_environment() -> None:
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert endpoints["action_endpoint"]["headers"] == {"X-Action-Server-Token": "${ACTION_SERVER_TOKEN}"}


@pytest.fixture
def run_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """What build_environment() reads, pointed away from the developer's own var/."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'assistant.db'}")
    monkeypatch.setenv("RASA_API_TOKEN", "api-token")
    for name in ("ACTION_SERVER_TOKEN", "MAX_REQUEST_BYTES"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_run_keeps_one_action_server_token_for_every_part_unless_one_is_set(
    run_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """run.py --only rasa and --only actions start apart: both must read the same token."""
    first, second = build_environment()["ACTION_SERVER_TOKEN"], build_environment()["ACTION_SERVER_TOKEN"]
    assert len(first) >= 32 and first == second
    kept = tmp_path / "action-server-token"
    assert kept.read_text() == first and kept.stat().st_mode & 0o777 == 0o600
    run_env.setenv("ACTION_SERVER_TOKEN", "")
    assert build_environment()["ACTION_SERVER_TOKEN"] == first
    run_env.setenv("ACTION_SERVER_TOKEN", "shared-by-every-rasa-server")
    assert build_environment()["ACTION_SERVER_TOKEN"] == "shared-by-every-rasa-server"


def test_no_secret_is_on_a_command_line_run_py_starts(run_env: pytest.MonkeyPatch) -> None:
    """Any local user can read a process's command line (ps); only its own user can read its environment."""
    env = build_environment()
    secrets = [env[name] for name in ("RASA_API_TOKEN", "ACTION_SERVER_TOKEN", "SESSION_SECRET")]
    for name, command in commands(env).items():
        assert not [part for part in command for secret in secrets if secret in part], name


def test_run_starts_the_action_server_with_the_token_check() -> None:
    env = {"RASA_API_TOKEN": "t", "RASA_CREDENTIALS": "credentials.yml", "RASA_RUNTIME_ENDPOINTS": "endpoints.yml"}
    command = commands(env)["action server"]
    assert command[1:3] == ["-m", "serve.action_server"]


def test_only_the_rasa_server_gets_sanics_size_limits(run_env: pytest.MonkeyPatch) -> None:
    run_env.setenv("MAX_REQUEST_BYTES", "100000")
    env = build_environment()
    rasa = process_env("rasa server", env)
    assert rasa["SANIC_REQUEST_MAX_SIZE"] == rasa["SANIC_WEBSOCKET_MAX_SIZE"] == "100000"
    for other in ("action server", "staff console", "widget server", "outbox worker"):
        assert "SANIC_REQUEST_MAX_SIZE" not in process_env(other, env)


@pytest.mark.parametrize("value", ["lots", "-5", "100", "1e6"])
def test_a_size_limit_that_is_no_number_of_bytes_stops_the_start(run_env: pytest.MonkeyPatch, value: str) -> None:
    run_env.setenv("MAX_REQUEST_BYTES", value)
    with pytest.raises(SystemExit, match="MAX_REQUEST_BYTES"):
        build_environment()


@pytest.mark.parametrize(("name", "value"), [("SMTP_PORT", "x"), ("CONSOLE_MAX_REQUEST_BYTES", "abc")])
def test_any_malformed_setting_stops_the_start_naming_it_before_a_server_starts(
    run_env: pytest.MonkeyPatch, name: str, value: str
) -> None:
    run_env.setenv(name, value)
    with pytest.raises(SystemExit, match=f"{name}='{value}'"):
        build_environment()


def test_size_limits_default_when_unset_or_empty() -> None:
    assert max_request_bytes(env={}) == max_request_bytes(env={"MAX_REQUEST_BYTES": " "}) == MAX_REQUEST_BYTES
    assert max_request_bytes("CONSOLE_MAX_REQUEST_BYTES", 4096, env={"CONSOLE_MAX_REQUEST_BYTES": "2048"}) == 2048
