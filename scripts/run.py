"""Start the assistant: action server, outbox worker and Rasa server, together.

Used by ``make run`` and by the tests (which start it on free ports with a
temporary database). Ctrl-C (or SIGTERM) stops every process cleanly. A port
already in use is reported before anything starts, with the setting to change.

Environment (all optional):
  RASA_PORT (5005), ACTION_PORT (5055), WIDGET_PORT (8080), CONSOLE_PORT (8090), HOST (127.0.0.1)
  RASA_PUBLIC_URL (http://HOST:RASA_PORT): the Rasa server as the chat widget's visitors reach it
  ACTION_HOST (127.0.0.1): where the action server listens; only the Rasa server calls it
  DATABASE_URL (sqlite:///var/assistant.db): the project's tables and, for
      SQLite, Rasa's tracker store in the same file
  RASA_API_TOKEN: token for Rasa's HTTP API; generated into var/api-token if unset
  ACTION_SERVER_TOKEN: shared secret the Rasa server sends the action server; generated for
      this run if unset (set it when the action server runs apart, e.g. several Rasa servers)
  MAX_REQUEST_BYTES (262144): largest request body or socket.io message the Rasa server takes
  RASA_MODEL (models/assistant.tar.gz)
  TWILIO_*, FACEBOOK_*, TELEGRAM_*: a messaging channel in credentials.yml is
      switched on when every ${VAR} in its entry is set (README, "Messaging channels")
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))  # the project's own modules, when run as a script

from channels.limits import max_request_bytes  # noqa: E402


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on now, for tests and benchmarks that start their own servers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tracker_db_path(database_url: str) -> str:
    """Rasa's SQL tracker store wants a file path for SQLite, not a URL."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        sys.exit(
            f"DATABASE_URL={database_url!r}: the default profile keeps Rasa's tracker store in the same "
            "SQLite file; use a sqlite:/// URL here."
        )
    return database_url[len(prefix):]


def api_token() -> str:
    token = os.getenv("RASA_API_TOKEN")
    if token:
        return token
    path = ROOT / "var" / "api-token"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def runtime_credentials(env: Dict[str, str], target: Path) -> List[str]:
    """Write credentials.yml to ``target`` without the channels whose ${VARS} are not all set.

    Rasa refuses to start over an unset ${VAR} and would load a channel whose
    secrets are empty, so a channel is kept only with every value it names.
    The copy keeps the placeholders: no secret is written to disk.
    """
    kept = {}
    for channel, settings in (yaml.safe_load((ROOT / "credentials.yml").read_text()) or {}).items():
        needed = re.findall(r"\$\{(\w+)\}", yaml.safe_dump(settings))
        if all(env.get(name) for name in needed):
            kept[channel] = settings
    target.write_text("# Written by scripts/run.py from credentials.yml: the channels switched on.\n"
                      + yaml.safe_dump(kept, sort_keys=False))
    return list(kept)


def build_environment() -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "sqlite:///var/assistant.db")
    env["RASA_TRACKER_DB"] = tracker_db_path(env["DATABASE_URL"])
    Path(env["RASA_TRACKER_DB"]).parent.mkdir(parents=True, exist_ok=True)
    env["RASA_CREDENTIALS"] = str(Path(env["RASA_TRACKER_DB"]).parent / "credentials.yml")
    # The action server is for the Rasa server only: loopback unless ACTION_HOST says otherwise.
    # rasa-sdk has no host option; it reads SANIC_HOST (and would default to 0.0.0.0).
    env.setdefault("ACTION_HOST", "127.0.0.1")
    env["SANIC_HOST"] = env["ACTION_HOST"]
    env["ACTION_SERVER_URL"] = f"http://{env['ACTION_HOST']}:{env.get('ACTION_PORT', '5055')}/webhook"
    env["RASA_API_TOKEN"] = api_token()
    try:
        env["MAX_REQUEST_BYTES"] = str(max_request_bytes(env=env))
    except ValueError as problem:
        sys.exit(str(problem))
    # Only the Rasa server may call the action server: it sends this token (endpoints.yml).
    env["ACTION_SERVER_TOKEN"] = env.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def commands(env: Dict[str, str]) -> Dict[str, List[str]]:
    host = env.get("HOST", "127.0.0.1")
    model = env.get("RASA_MODEL", str(ROOT / "models" / "assistant.tar.gz"))
    return {
        "action server": [
            str(VENV_BIN / "python"), "-m", "scripts.action_server", "--actions", "actions",
            "--port", env.get("ACTION_PORT", "5055"),
        ],
        "outbox worker": [str(VENV_BIN / "python"), "-m", "actions.outbox"],
        "rasa server": [
            str(VENV_BIN / "rasa"), "run", "--model", model, "--interface", host,
            "--port", env.get("RASA_PORT", "5005"), "--enable-api", f"--auth-token={env['RASA_API_TOKEN']}",
            "--cors", "*", "--credentials", env["RASA_CREDENTIALS"], "--endpoints", "endpoints.yml",
        ],
        "widget server": [str(VENV_BIN / "python"), str(ROOT / "widget" / "server.py")],
        "staff console": [str(VENV_BIN / "python"), "-m", "console"],
    }


def process_env(name: str, env: Dict[str, str]) -> Dict[str, str]:
    """One server's environment: the Rasa server's also caps request bodies and websocket messages.

    Sanic reads SANIC_* variables into its config and refuses a larger body (413) before
    reading it. Only the Rasa server gets them: the action server receives whole
    conversations from it, and the staff console sets its own, smaller limit.
    """
    if name != "rasa server":
        return env
    return {**env, "SANIC_REQUEST_MAX_SIZE": env["MAX_REQUEST_BYTES"], "SANIC_WEBSOCKET_MAX_SIZE": env["MAX_REQUEST_BYTES"]}


def _die_with_parent() -> None:
    """In each child: ask Linux to SIGTERM it if this script dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: Ctrl-C and SIGTERM still stop the children through stop()


def wait_until_up(url: str, processes: Dict[str, subprocess.Popen], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with code {process.returncode}", file=sys.stderr)
                return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def stop(processes: Dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> int:
    os.chdir(ROOT)
    env = build_environment()
    host = env.get("HOST", "127.0.0.1")
    for setting, default in (("RASA_PORT", "5005"), ("ACTION_PORT", "5055"), ("WIDGET_PORT", "8080"),
                             ("CONSOLE_PORT", "8090")):
        port, bind = int(env.get(setting, default)), env["ACTION_HOST"] if setting == "ACTION_PORT" else host
        if not port_free(bind, port):
            print(f"Port {port} on {bind} is already in use. Stop whatever uses it, or choose another "
                  f"port: {setting}=<port> make run", file=sys.stderr)
            return 2
    if not Path(env.get("RASA_MODEL", "models/assistant.tar.gz")).exists():
        print("No trained model: run `make train` first.", file=sys.stderr)
        return 2

    channels = runtime_credentials(env, Path(env["RASA_CREDENTIALS"]))

    processes: Dict[str, subprocess.Popen] = {}
    received: Optional[int] = None

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal received
        received = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for name, command in commands(env).items():
            # Own process group: a Ctrl-C in the terminal reaches us, and we stop them in order.
            processes[name] = subprocess.Popen(
                command, env=process_env(name, env), cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent
            )
        rasa_url = f"http://{host}:{env.get('RASA_PORT', '5005')}/"
        started = time.monotonic()
        if not wait_until_up(rasa_url, processes, timeout=float(env.get("START_TIMEOUT", "300"))):
            print("The assistant did not start; see the messages above.", file=sys.stderr)
            return 1
        print(f"\nThe assistant is up after {time.monotonic() - started:.0f}s.\n"
              f"  REST:      POST {rasa_url}webhooks/rest/webhook  {{\"sender\": \"me\", \"message\": \"hi\"}}\n"
              f"  socket.io: {rasa_url}socket.io\n"
              f"  channels:  {', '.join(name.split('.')[-2] if '.' in name else name for name in channels)}\n"
              f"  chat widget demo page: http://{host}:{env.get('WIDGET_PORT', '8080')}/\n"
              f"  HTTP API token: $RASA_API_TOKEN or var/api-token\n"
              f"  staff console: http://{host}:{env.get('CONSOLE_PORT', '8090')}/  (accounts: python -m console.accounts)\n"
              "Press Ctrl-C to stop.\n", flush=True)
        while received is None:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} stopped unexpectedly (code {process.returncode}); shutting down.", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        print("\nStopping the assistant...", flush=True)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
