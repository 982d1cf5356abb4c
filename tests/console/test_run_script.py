"""`make run` starts the console with the assistant: its port is checked before anything starts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from serve.run import commands, free_port

ROOT = Path(__file__).resolve().parents[2]


def test_the_run_command_starts_the_staff_console() -> None:
    env = {"RASA_API_TOKEN": "t", "RASA_CREDENTIALS": "credentials.yml", "RASA_RUNTIME_ENDPOINTS": "endpoints.yml"}
    assert commands(env)["staff console"][-2:] == ["-m", "console"]


def test_a_console_port_in_use_stops_the_start_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "serve/run.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={
                **os.environ,
                "RASA_PORT": str(free_port()),
                "ACTION_PORT": str(free_port()),
                "WIDGET_PORT": str(free_port()),
                "CONSOLE_PORT": str(port),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
                "RASA_API_TOKEN": "t",
            },
        )
    assert result.returncode == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr and "CONSOLE_PORT=<port>" in result.stderr
