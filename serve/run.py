"""Start the assistant: action server, outbox worker and Rasa server, together.

Used by ``make run`` and by the tests (which start it on free ports with a
temporary database). ``--only rasa`` (or any comma-separated names from
SERVICES) starts part of it, e.g. one more Rasa instance behind a load
balancer. Ctrl-C (or SIGTERM) stops every process cleanly. A port already in
use is reported before anything starts, with the setting to change.

Environment (all optional): the ports, HOST, DATABASE_URL, RASA_ENDPOINTS, the
tokens, MAX_REQUEST_BYTES, RASA_MODEL and the rest, declared with their defaults in
settings.py and listed in docs/configuration.md. The children get this process's
environment with the defaults and generated tokens filled in. A messaging channel in
credentials.yml is switched on when every ${VAR} in its entry is set (README,
"Messaging channels").
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")  # a ${VAR} that Rasa fills from the environment
sys.path.insert(0, str(ROOT))  # the project's own modules, when run as a script

from settings import default, max_request_bytes  # noqa: E402


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


def runtime_dir(database_url: str) -> Path:
    """Where run.py writes its runtime copies: beside an SQLite file (tests get their own), else var/."""
    prefix = "sqlite:///"
    path = Path(database_url[len(prefix) :]).parent if database_url.startswith(prefix) else ROOT / "var"
    path.mkdir(parents=True, exist_ok=True)
    return path


def rabbitmq_settings(env: Dict[str, str]) -> None:
    """Rasa's pika broker takes host, port, user and password apart: split RABBITMQ_URL for it."""
    if not env.get("RABBITMQ_URL"):
        return
    url = urllib.parse.urlsplit(env["RABBITMQ_URL"])
    env.setdefault("RABBITMQ_HOST", url.hostname or "127.0.0.1")
    env.setdefault("RABBITMQ_PORT", str(url.port or 5672))
    env.setdefault("RABBITMQ_USER", urllib.parse.unquote(url.username or "guest"))
    env.setdefault("RABBITMQ_PASSWORD", urllib.parse.unquote(url.password or "guest"))
    env.setdefault("RABBITMQ_QUEUE", default("RABBITMQ_QUEUE"))
    env.setdefault("RABBITMQ_EXCHANGE", default("RABBITMQ_EXCHANGE"))  # Rasa's default


def local_secret(setting: str, path: Path, env: Dict[str, str]) -> str:
    """The setting if set, else a random value kept in ``path`` (0600) for every later run."""
    token = env.get(setting)
    if token:
        return token
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def lacking(settings: Any, env: Dict[str, str]) -> List[str]:
    """The ${VARS} named in a section of settings that are unset or empty."""
    return [name for name in PLACEHOLDER.findall(yaml.safe_dump(settings)) if not env.get(name)]


def runtime_config(source: Path, env: Dict[str, str], target: Path) -> List[str]:
    """Copy ``source`` (credentials or endpoints) to ``target`` without the sections whose ${VARS} are not all set.

    Rasa refuses to start over an unset ${VAR} and would load a channel whose
    secrets are empty, so a section is kept only with every value it names.
    The copy keeps the placeholders: no secret is written to disk.
    """
    kept = {}
    for section, settings in (yaml.safe_load(source.read_text()) or {}).items():
        if not lacking(settings, env):
            kept[section] = settings
    # Written aside and renamed: another run.py (--only rasa) may be writing the same copy
    # while a Rasa server already started reads it.
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_text(
        f"# Written by serve/run.py from {source.name}: the sections switched on.\n"
        + yaml.safe_dump(kept, sort_keys=False)
    )
    os.replace(partial, target)
    return list(kept)


def build_environment() -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", default("DATABASE_URL"))
    runtime = runtime_dir(env["DATABASE_URL"])
    env["RASA_CREDENTIALS"] = str(runtime / "credentials.yml")
    env["RASA_RUNTIME_ENDPOINTS"] = str(runtime / "endpoints.yml")
    env.setdefault("RASA_ENDPOINTS", default("RASA_ENDPOINTS"))
    rabbitmq_settings(env)
    # The action server is for the Rasa server only: loopback unless ACTION_HOST says otherwise.
    # rasa-sdk has no host option; it reads SANIC_HOST (and would default to 0.0.0.0).
    env.setdefault("ACTION_HOST", default("ACTION_HOST"))
    env["SANIC_HOST"] = env["ACTION_HOST"]
    env["ACTION_SERVER_URL"] = f"http://{env['ACTION_HOST']}:{env.get('ACTION_PORT', default('ACTION_PORT'))}/webhook"
    env["RASA_API_TOKEN"] = local_secret("RASA_API_TOKEN", ROOT / "var" / "api-token", env)
    # Where the outbox worker reaches Rasa's HTTP API (worker/recovery.py): a load balancer in production.
    env.setdefault(
        "RASA_URL", f"http://{env.get('HOST', default('HOST'))}:{env.get('RASA_PORT', default('RASA_PORT'))}"
    )
    try:
        env["MAX_REQUEST_BYTES"] = str(max_request_bytes(env=env))
    except ValueError as problem:
        sys.exit(str(problem))
    # Only the Rasa server may call the action server: it sends this token (endpoints.yml).
    # Kept beside the runtime copies, not made per run: run.py --only starts Rasa and the action server apart.
    env["ACTION_SERVER_TOKEN"] = local_secret("ACTION_SERVER_TOKEN", runtime / "action-server-token", env)
    env.setdefault("PYTHONUNBUFFERED", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def commands(env: Dict[str, str]) -> Dict[str, List[str]]:
    host = env.get("HOST", default("HOST"))
    model = str(ROOT / env.get("RASA_MODEL", default("RASA_MODEL")))
    return {
        "action server": [
            str(VENV_BIN / "python"),
            "-m",
            "serve.action_server",
            "--actions",
            "actions",
            "--port",
            env.get("ACTION_PORT", default("ACTION_PORT")),
        ],
        "outbox worker": [str(VENV_BIN / "python"), "-m", "worker"],
        "rasa server": [
            str(VENV_BIN / "python"),
            "-m",
            "serve.rasa_server",
            "run",
            "--model",
            model,
            "--interface",
            host,
            "--port",
            env.get("RASA_PORT", default("RASA_PORT")),
            "--enable-api",
            f"--auth-token={env['RASA_API_TOKEN']}",
            "--cors",
            "*",
            "--credentials",
            env["RASA_CREDENTIALS"],
            "--endpoints",
            env["RASA_RUNTIME_ENDPOINTS"],
        ],
        "widget server": [str(VENV_BIN / "python"), str(ROOT / "widget" / "server.py")],
        "staff console": [str(VENV_BIN / "python"), "-m", "console"],
    }


def process_env(name: str, env: Dict[str, str]) -> Dict[str, str]:
    """One server's environment: the Rasa server's also caps request bodies and websocket messages.

    Sanic reads SANIC_* variables into its config and refuses a larger body (413) before
    reading it. Only the Rasa server gets them: the action server receives whole
    conversations from it, and the staff console sets its own, smaller limit. Rasa reads
    SANIC_WORKERS for its number of worker processes (RASA_WORKERS, 2: one per core here).
    """
    if name != "rasa server":
        return env
    return {
        **env,
        "SANIC_REQUEST_MAX_SIZE": env["MAX_REQUEST_BYTES"],
        "SANIC_WEBSOCKET_MAX_SIZE": env["MAX_REQUEST_BYTES"],
        "SANIC_WORKERS": env.get("RASA_WORKERS", default("RASA_WORKERS")),
    }


def die_with_parent() -> None:
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


# run.py's names for its services (``--only``), and the label each is shown with.
SERVICES = {
    "actions": "action server",
    "worker": "outbox worker",
    "rasa": "rasa server",
    "widget": "widget server",
    "console": "staff console",
}
PORT_SETTINGS = {"rasa": "RASA_PORT", "actions": "ACTION_PORT", "widget": "WIDGET_PORT", "console": "CONSOLE_PORT"}
# The only endpoint a profile may go without: events for analytics.
OPTIONAL_ENDPOINTS = {"event_broker"}


def selected_services(argv: List[str]) -> List[str]:
    parser = argparse.ArgumentParser(description="Start the assistant's servers (all of them by default).")
    parser.add_argument(
        "--only", default=",".join(SERVICES), help=f"comma-separated services to start, from: {', '.join(SERVICES)}"
    )
    chosen = [name.strip() for name in parser.parse_args(argv).only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SERVICES]
    if unknown or not chosen:
        parser.error(f"unknown service(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SERVICES)}")
    return chosen


def preflight(env: Dict[str, str], services: List[str]) -> Optional[str]:
    """What stops a start before anything runs: a busy port, no model, a missing profile setting."""
    host = env.get("HOST", default("HOST"))
    for service in services:
        if service not in PORT_SETTINGS:
            continue
        setting = PORT_SETTINGS[service]
        port, bind = int(env.get(setting, default(setting))), env["ACTION_HOST"] if service == "actions" else host
        if not port_free(bind, port):
            return (
                f"Port {port} on {bind} is already in use. Stop whatever uses it, or choose another "
                f"port: {setting}=<port> make run"
            )
    if "rasa" not in services:
        return None
    if not Path(env.get("RASA_MODEL", default("RASA_MODEL"))).exists():
        return "No trained model: run `make train` first."
    source = ROOT / env["RASA_ENDPOINTS"]
    kept = runtime_config(source, env, Path(env["RASA_RUNTIME_ENDPOINTS"]))
    sections = yaml.safe_load(source.read_text())
    missing = sorted(set(sections) - set(kept) - OPTIONAL_ENDPOINTS)
    if missing:  # name only what the required sections lack, not the optional broker's settings
        needed = sorted({name for section in missing for name in lacking(sections[section], env)})
        return f"{env['RASA_ENDPOINTS']} needs {', '.join(needed)} for its {', '.join(missing)}."
    return None


def main(argv: Optional[List[str]] = None) -> int:
    os.chdir(ROOT)
    services = selected_services(sys.argv[1:] if argv is None else argv)
    env = build_environment()
    host = env.get("HOST", default("HOST"))
    problem = preflight(env, services)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    channels = runtime_config(ROOT / "credentials.yml", env, Path(env["RASA_CREDENTIALS"]))

    processes: Dict[str, subprocess.Popen] = {}
    received: Optional[int] = None

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal received
        received = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        every = commands(env)
        for service in services:
            # Own process group: a Ctrl-C in the terminal reaches us, and we stop them in order.
            name = SERVICES[service]
            processes[name] = subprocess.Popen(
                every[name], env=process_env(name, env), cwd=ROOT, start_new_session=True, preexec_fn=die_with_parent
            )
        rasa_url = f"http://{host}:{env.get('RASA_PORT', default('RASA_PORT'))}/"
        action_url = env["ACTION_SERVER_URL"].rsplit("/", 1)[0] + "/health"
        started = time.monotonic()
        ready = rasa_url if "rasa" in services else action_url if "actions" in services else None
        if ready and not wait_until_up(
            ready, processes, timeout=float(env.get("START_TIMEOUT", default("START_TIMEOUT")))
        ):
            print("The assistant did not start; see the messages above.", file=sys.stderr)
            return 1
        lines = {
            "rasa": f'  REST:      POST {rasa_url}webhooks/rest/webhook  {{"sender": "me", "message": "hi"}}\n'
            f"  socket.io: {rasa_url}socket.io\n"
            f"  channels:  {', '.join(name.split('.')[-2] if '.' in name else name for name in channels)}\n"
            f"  endpoints: {env['RASA_ENDPOINTS']}\n"
            f"  HTTP API token: $RASA_API_TOKEN or var/api-token\n",
            "actions": f"  action server: {action_url.rsplit('/', 1)[0]}\n",
            "widget": f"  chat widget demo page: http://{host}:{env.get('WIDGET_PORT', default('WIDGET_PORT'))}/\n",
            "console": f"  staff console: http://{host}:{env.get('CONSOLE_PORT', default('CONSOLE_PORT'))}/  "
            "(accounts: python -m console.accounts)\n",
        }
        print(
            f"\nThe assistant is up after {time.monotonic() - started:.0f}s.\n"
            + "".join(lines.get(service, "") for service in services)
            + "Press Ctrl-C to stop.\n",
            flush=True,
        )
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
