"""What `make run` shows in the terminal, and what it leaves in the servers' log files.

Without VERBOSE, serve/run.py shows a line per service as it comes up and the
summary, not the packages' warnings or the servers' start-up chatter; each
server's output goes to ``log/<service>.log`` beside the database (var/log/
under `make run`); a server's errors still reach the terminal, after its name.
The other live tests run with VERBOSE=1 (scripts/servers.py) to read every line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from scripts.servers import LocalAssistant, clean_environment
from serve.run import SERVICES, ServiceLog, free_port, paging_warnings, port_free

ROOT = Path(__file__).resolve().parent.parent
MOST_LINES = 25  # a line per service, the summary, and room to spare


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAssistant]:
    """`make run` as a person starts it: no VERBOSE (one Rasa worker: the machine is shared)."""
    running = LocalAssistant(tmp_path_factory.mktemp("quiet"), {"VERBOSE": "", "RASA_WORKERS": "1"})
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


def service_logs(assistant: LocalAssistant) -> dict:
    return {service: (assistant.workdir / "log" / f"{service}.log").read_text() for service in SERVICES}


@pytest.mark.model  # starts serve/run.py
def test_the_terminal_shows_a_line_per_service_and_the_summary_not_the_servers_chatter(
    quiet: LocalAssistant,
) -> None:
    terminal = quiet.log_text()
    lines = terminal.splitlines()
    assert len(lines) < MOST_LINES, terminal
    for service, label in SERVICES.items():
        announced = [line for line in lines if line.startswith(f"{label} ")]
        assert len(announced) == 1, terminal
        assert f"(log: {quiet.workdir / 'log' / service}.log)" in announced[0]
    assert f"rasa server    up on {quiet.url}/" in terminal
    assert "The assistant is up after" in terminal and "Press Ctrl-C to stop." in terminal
    assert "Warning: no on-call contact (ONCALL_PHONE): an urgent escalation pages nobody by SMS" in terminal
    for chatter in ("DeprecationWarning", "Registered function for", "alembic", "Starting Rasa server", "Traceback"):
        assert chatter not in terminal


@pytest.mark.model  # starts serve/run.py
def test_each_servers_output_lands_in_its_log_file_after_a_start_line(quiet: LocalAssistant) -> None:
    logs = service_logs(quiet)
    for service, label in SERVICES.items():
        assert logs[service].startswith("===== ") and f"starts the {label}\n" in logs[service].splitlines(True)[0]
    assert "Registered function for 'action_greet'" in logs["actions"]
    assert "outbox worker polling every" in logs["worker"]
    assert "Starting Rasa server" in logs["rasa"]
    assert "Starting worker" in logs["console"]  # Sanic's
    assert "DeprecationWarning" in "".join(logs.values())  # the packages' warnings: kept, only not shown


@pytest.mark.model  # starts serve/run.py
def test_stopping_adds_a_line_to_the_terminal_and_the_servers_last_words_to_their_logs(
    quiet: LocalAssistant,
) -> None:
    assert quiet.stop() == 0
    terminal = quiet.log_text()
    assert terminal.rstrip().endswith("Stopping the assistant...")
    assert len(terminal.splitlines()) < MOST_LINES, terminal
    assert "Stopping worker" in service_logs(quiet)["console"]


@pytest.mark.model  # starts serve/run.py
def test_a_server_that_fails_at_start_shows_its_traceback_and_exit_in_the_terminal(tmp_path: Path) -> None:
    action_port = free_port()
    env = clean_environment(
        VERBOSE="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}",
        ACTION_PORT=str(action_port),
        CONSOLE_PORT=str(free_port()),
        CONSOLE_TIMEZONE="Nowhere/Atlantis",  # the staff console refuses it as it starts
        RASA_API_TOKEN="t",
    )
    result = subprocess.run(
        [sys.executable, "serve/run.py", "--only", "actions,console"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "staff console | Traceback (most recent call last):" in result.stderr
    assert "staff console | zoneinfo._common.ZoneInfoNotFoundError: 'No time zone found with key Nowhere/Atlantis'" in (
        result.stderr
    )
    assert f"staff console exited with code 1 (log: {tmp_path / 'log' / 'console.log'})" in result.stderr
    assert "ZoneInfoNotFoundError" in (tmp_path / "log" / "console.log").read_text()
    assert "DeprecationWarning" not in result.stdout + result.stderr
    assert port_free("127.0.0.1", action_port)  # the action server, up or not, was stopped with it


CHILD = r"""
print("/site-packages/old.py:3: DeprecationWarning: use new()")
print("  old()")
print("/site-packages/rasa/core/tracker_store.py:1044: MovedIn20Warning: Deprecated API features detected!")
print("2026-01-01 10:00:00 INFO     rasa_sdk.executor  - Registered function for 'action_greet'.")
print("2026-01-01 10:00:01 ERROR    rasa.core.processor  - it broke")
print("/site-packages/rasa/io.py:100: UserWarning: No valid model found at bad.tar.gz!")
raise ValueError("bad")
"""


def test_a_servers_errors_and_warnings_reach_the_terminal_and_all_its_output_its_log(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    log = ServiceLog("rasa server", tmp_path / "rasa.log", verbose=False)
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log.follow(child.stdout)
    child.wait(timeout=30)
    log.close()
    shown = capsys.readouterr()
    assert shown.out == ""
    assert [line.split(" | ", 1)[1] for line in shown.err.splitlines()] == [
        "2026-01-01 10:00:01 ERROR    rasa.core.processor  - it broke",
        "/site-packages/rasa/io.py:100: UserWarning: No valid model found at bad.tar.gz!",
        "Traceback (most recent call last):",
        '  File "<string>", line 8, in <module>',
        "ValueError: bad",
    ]
    assert all(line.startswith("rasa server | ") for line in shown.err.splitlines())
    kept = (tmp_path / "rasa.log").read_text()
    assert "DeprecationWarning: use new()" in kept and "MovedIn20Warning" in kept
    assert "Registered function for 'action_greet'" in kept
    assert kept.rstrip().endswith("ValueError: bad")


def test_verbose_shows_a_servers_every_line_in_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    log = ServiceLog("rasa server", tmp_path / "rasa.log", verbose=True)
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log.follow(child.stdout)
    child.wait(timeout=30)
    log.close()
    shown = capsys.readouterr().out
    assert "DeprecationWarning: use new()" in shown and "ValueError: bad" in shown
    assert shown == "".join((tmp_path / "rasa.log").read_text().splitlines(True)[1:])  # as the log, but its start line


TWILIO = {"TWILIO_ACCOUNT_SID": "AC123", "TWILIO_AUTH_TOKEN": "token", "TWILIO_NUMBER": "+12035550100"}


def test_the_start_warns_when_no_oncall_contact_is_configured() -> None:
    [warning] = paging_warnings({**TWILIO})
    assert warning.startswith("Warning: no on-call contact (ONCALL_PHONE): an urgent escalation pages nobody by SMS")


def test_the_start_warns_when_an_oncall_phone_has_no_twilio_to_page_through() -> None:
    [warning] = paging_warnings({"ONCALL_PHONE": "+12035550181", "TWILIO_NUMBER": "+12035550100"})
    assert "ONCALL_PHONE is set but Twilio is not (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN unset)" in warning


def test_the_start_is_quiet_about_paging_when_it_can_page() -> None:
    assert paging_warnings({**TWILIO, "ONCALL_PHONE": "+12035550181"}) == []
