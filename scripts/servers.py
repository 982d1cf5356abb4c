"""Start `serve/run.py` on free ports with its own database, for tests and benchmarks.

One launcher, so the live tests, the browser tests and the benchmark all run
the servers exactly as `make run` does, only isolated from each other and
from a developer's own `var/assistant.db`.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

from serve.run import free_port

ROOT = Path(__file__).resolve().parent.parent
UP_LINE = "The assistant is up"
# Settings that would send a developer's real notifications from a test run.
OUTSIDE_TARGETS = ("SMTP_HOST", "STAFF_EMAIL", "STAFF_WEBHOOK_URL")


def clean_environment(**settings: str) -> Dict[str, str]:
    """This process's environment without real notification targets, plus quiet test settings.

    VERBOSE=1: run.py's output (what ``log_text`` reads) holds every line the servers write, as the
    tests that look for a traceback or a log message need; run.py also keeps each server's log
    file (``log/`` beside the database), and tests/test_run_output.py checks the terminal without it.
    """
    env = {key: value for key, value in os.environ.items() if key not in OUTSIDE_TARGETS}
    env.update({"RASA_TELEMETRY_ENABLED": "false", "OUTBOX_POLL_SECONDS": "1", "VERBOSE": "1", **settings})
    return env


def children(pid: int) -> List[int]:
    """The processes ``pid`` started (of any of its threads); none once it has ended."""
    try:
        return [
            int(child)
            for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()
        ]
    except FileNotFoundError:
        return []


def descendants(pid: int) -> List[int]:
    """Every process below ``pid``."""
    below = children(pid)
    return below + [grandchild for child in below for grandchild in descendants(child)]


def status_kib(pid: int, field: str) -> int:
    """A figure in kB from /proc/<pid>/status (VmHWM: peak memory, VmRSS: now); 0 once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0
    return sum(int(line.split()[1]) for line in status.splitlines() if line.startswith(f"{field}:"))


class RunPy:
    """One `serve/run.py` process (every service, or ``--only`` some) with its own log."""

    def __init__(self, env: Dict[str, str], log_path: Path, only: Optional[str] = None) -> None:
        self.env, self.log_path, self.only = env, log_path, only
        self.start()

    def start(self) -> None:
        self.log = open(self.log_path, "a")
        self.started = time.monotonic()
        self.mark = self.log_path.stat().st_size  # look for "up" only in what this start writes
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "serve" / "run.py"), *(["--only", self.only] if self.only else [])],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_up(self, timeout: float = 400) -> float:
        """Seconds from start until run.py says its servers are up."""
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"run.py exited {self.process.returncode}:\n{self.log_text()[-4000:]}")
            if UP_LINE in self.log_text()[self.mark :]:
                return time.monotonic() - self.started
            time.sleep(0.5)
        raise TimeoutError(self.log_text()[-4000:])

    def server_pids(self) -> Dict[str, int]:
        """Process id of each server run.py started, by name ("rasa server", "action server", ...)."""
        pids: Dict[str, int] = {}
        for child in children(self.process.pid):
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            name = next(
                (
                    label
                    for marker, label in (
                        (" run ", "rasa server"),
                        ("action_server", "action server"),
                        ("-m worker", "outbox worker"),
                        ("widget", "widget server"),
                        ("console", "staff console"),
                    )
                    if marker in cmdline
                ),
                cmdline[:40],
            )
            pids[name] = child
        return pids

    def memory_mib(self, field: str) -> Dict[str, int]:
        """A memory figure from /proc/<pid>/status (VmHWM: peak, VmRSS: now), in MiB, of each server,
        summed over its processes (the Rasa server runs as RASA_WORKERS worker processes)."""
        return {
            name: sum(status_kib(process, field) for process in [pid, *descendants(pid)]) // 1024
            for name, pid in self.server_pids().items()
        }

    def peak_memory_mib(self) -> Dict[str, int]:
        """Peak resident memory (VmHWM, MiB) of each server process run.py started."""
        return self.memory_mib("VmHWM")

    def stop(self, timeout: float = 60) -> int:
        """Stop as a person would, with Ctrl-C (SIGINT); kill only if that hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        return self.process.returncode


class LocalAssistant(RunPy):
    """Every service of `serve/run.py` on free ports, with its own SQLite file and log."""

    def __init__(self, workdir: Path, env: Optional[Dict[str, str]] = None) -> None:
        self.workdir = workdir
        self.rasa_port, self.action_port = free_port(), free_port()
        self.widget_port, self.console_port = free_port(), free_port()
        self.token = secrets.token_urlsafe(16)
        self.db = workdir / "assistant.db"
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.rest_url = f"{self.url}/webhooks/rest/webhook"
        settings = clean_environment(
            RASA_PORT=str(self.rasa_port),
            ACTION_PORT=str(self.action_port),
            WIDGET_PORT=str(self.widget_port),
            CONSOLE_PORT=str(self.console_port),
            RASA_API_TOKEN=self.token,
            DATABASE_URL=f"sqlite:///{self.db}",
        )
        settings.update(env or {})
        self.widget_port = int(settings["WIDGET_PORT"])  # a test may choose it, to allow its page's origin
        (workdir / "servers.log").write_text("")
        super().__init__(settings, workdir / "servers.log")
