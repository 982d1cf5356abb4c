"""Start the assistant: action server, outbox worker and Rasa server, together.

Used by ``make run`` and by the tests (which start it on free ports with a
temporary database). ``--only rasa`` (or any comma-separated names from
SERVICES) starts part of it, e.g. one more Rasa instance behind a load
balancer. Ctrl-C (or SIGTERM) stops every process cleanly. A port already in
use is reported before anything starts, with the setting to change.

The terminal shows one line per service as it comes up and a summary. Each
service's output goes to ``log/<service>.log`` beside the runtime copies
(``var/log/`` by default), appended to with a start line per run. The terminal
also shows, after the service's name, its ERROR and CRITICAL lines, its
tracebacks and its Python warnings (but the packages' deprecation warnings),
and the end of the log of a service that stops unexpectedly. VERBOSE=1 shows
everything in the terminal too.

Environment (all optional): the ports, HOST, DATABASE_URL, RASA_ENDPOINTS, the
tokens, MAX_REQUEST_BYTES, RASA_MODEL and the rest, declared with their defaults in
settings.py and listed in docs/configuration.md. The children get this process's
environment with the defaults and generated tokens filled in. A messaging channel in
credentials.yml is switched on when every ${VAR} in its entry is set (docs/channels.md).
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO, Any, Deque, Dict, List, Optional, TextIO, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")  # a ${VAR} that Rasa fills from the environment
sys.path.insert(0, str(ROOT))  # the project's own modules, when run as a script

from serve import model_integrity  # noqa: E402
from settings import default, read  # noqa: E402


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
    try:  # a malformed value stops the start here, named, rather than each server as it reads it
        env["MAX_REQUEST_BYTES"] = str(read(env).MAX_REQUEST_BYTES)
    except ValueError as problem:
        sys.exit(str(problem))
    # Only the Rasa server may call the action server: it sends this token (endpoints.yml).
    # Kept beside the runtime copies, not made per run: run.py --only starts Rasa and the action server apart.
    env["ACTION_SERVER_TOKEN"] = local_secret("ACTION_SERVER_TOKEN", runtime / "action-server-token", env)
    # Every Rasa worker must sign widget sessions alike, or a reconnect to another would lose its session.
    env["SESSION_SECRET"] = local_secret("SESSION_SECRET", runtime / "session-secret", env)
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
            "--enable-api",  # its token, RASA_API_TOKEN, goes in the environment: a command line is public (ps)
            "--cors",
            *read(env).browser_origins(),  # exact origins: sanic-cors compares plain strings exactly
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


# A log line at ERROR or CRITICAL level as Rasa ("... ERROR    rasa.core..."), Sanic ("[ERROR]") and the
# logging module ("ERROR:root:...", "worker ERROR ...") write it; not "logging.ERROR" in a line of code.
ERROR_LINE = re.compile(r"(?:^|[\s\[])(?:ERROR|CRITICAL)(?:[\s\]:]|$)")
# A Python warning ("path.py:100: UserWarning: No valid model found at ..."): shown unless it is one of
# the packages' deprecation warnings, which fill a start and concern their authors, not the clinic. A
# line gives only the category's name: DeprecationWarning and the packages' own kinds of it
# (PyparsingDeprecationWarning; SQLAlchemy's MovedIn20Warning, RemovedIn20Warning) go by their names.
WARNING_LINE = re.compile(r"^\S.*?:\d+: (\w*Warning): ")
DEPRECATION = re.compile(r"Deprecat|RemovedIn|MovedIn")
CHAINED = ("During handling of the above exception", "The above exception was the direct cause")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # Rasa colours its warnings even into a pipe
TAIL_LINES = 20  # of a service's log, shown when it stops unexpectedly
# The outbox worker has no port to ask; it writes this once it has its database (worker/__main__.py).
WORKER_READY = "outbox worker polling every"
TERMINAL = threading.Lock()  # whole lines, from the services' readers and from main()


def to_terminal(text: str, stream: Optional[TextIO] = None) -> None:
    with TERMINAL:
        try:
            print(text, file=stream or sys.stdout, flush=True)
        except (OSError, ValueError):
            pass  # the terminal is gone; the logs still get everything


def shown(path: Path) -> str:
    """A path as a person at the repository types it: var/log/rasa.log, or absolute outside it."""
    try:
        return str((ROOT / path).relative_to(ROOT))
    except ValueError:
        return str(path)


class TerminalLines:
    """Which lines of a service's output the terminal shows without VERBOSE: ERROR and CRITICAL lines,
    tracebacks whole, and Python warnings but deprecation ones."""

    def __init__(self) -> None:
        self.in_traceback = False

    def __call__(self, line: str) -> bool:
        if line.startswith(("Traceback (most recent call last):", *CHAINED)):
            self.in_traceback = line.startswith("Traceback")
            return True
        if self.in_traceback:
            if line[:1].isspace():
                return True  # a frame, or its line of code
            self.in_traceback = False
            return bool(line)  # the exception, which ends it
        warning = WARNING_LINE.match(line)
        if warning:
            return not DEPRECATION.search(warning.group(1))
        return bool(ERROR_LINE.search(line))


class ServiceLog:
    """One service's output: all of it into its log file; to the terminal its errors, or everything with VERBOSE."""

    def __init__(self, label: str, path: Path, verbose: bool) -> None:
        self.label, self.path, self.verbose = label, path, verbose
        self.tail: Deque[Tuple[str, bool]] = collections.deque(maxlen=TAIL_LINES)  # (line, shown in the terminal)
        self.for_terminal = TerminalLines()
        self.worker_ready = threading.Event()
        self.reader: Optional[threading.Thread] = None
        # Appended to, unbuffered: each line is one write at the end of the file, so the runs of
        # run.py --only that share this folder (two Rasa instances) keep their lines whole.
        self.file = open(path, "ab", buffering=0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        self.file.write(f"===== {stamp} serve/run.py (pid {os.getpid()}) starts the {label}\n".encode())

    def follow(self, output: IO[bytes]) -> None:
        self.reader = threading.Thread(target=self.copy, args=(output,), name=f"{self.label} log", daemon=True)
        self.reader.start()

    def copy(self, output: IO[bytes]) -> None:
        with output:
            for raw in iter(output.readline, b""):
                self.file.write(raw)
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if WORKER_READY in line:
                    self.worker_ready.set()
                if not self.verbose:
                    line = COLOUR.sub("", line)
                shown_here = self.verbose or self.for_terminal(line)
                self.tail.append((line, shown_here))
                if self.verbose:
                    to_terminal(line)
                elif shown_here:
                    to_terminal(f"{self.label} | {line}", sys.stderr)

    def report_exit(self, code: int) -> None:
        """Say that the service stopped, and the end of its log that the terminal has not shown yet."""
        if self.reader:
            self.reader.join(timeout=3)  # its last words
        unseen = [line for line, shown_here in self.tail if not shown_here]
        to_terminal(f"{self.label} exited with code {code} (log: {shown(self.path)}).", sys.stderr)
        if unseen:
            to_terminal("Its last lines:\n" + "\n".join(f"{self.label} | {line}" for line in unseen), sys.stderr)

    def close(self) -> None:
        if self.reader:
            self.reader.join(timeout=5)
        if not (self.reader and self.reader.is_alive()):
            self.file.close()


def answers(url: str) -> bool:
    """Whether a server answers HTTP at ``url`` (a refusal counts: it is listening)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
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
    """What stops a start before anything runs: a busy port, no model or one our training did not make
    (serve/model_integrity.py), a missing profile setting."""
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
    model = Path(env.get("RASA_MODEL", default("RASA_MODEL")))
    if not model.exists():
        return "No trained model: run `make train` first."
    refused = model_integrity.problem(model)
    if refused:
        return refused
    source = ROOT / env["RASA_ENDPOINTS"]
    kept = runtime_config(source, env, Path(env["RASA_RUNTIME_ENDPOINTS"]))
    sections = yaml.safe_load(source.read_text())
    missing = sorted(set(sections) - set(kept) - OPTIONAL_ENDPOINTS)
    if missing:  # name only what the required sections lack, not the optional broker's settings
        needed = sorted({name for section in missing for name in lacking(sections[section], env)})
        return f"{env['RASA_ENDPOINTS']} needs {', '.join(needed)} for its {', '.join(missing)}."
    return None


def paging_warnings(env: Dict[str, str]) -> List[str]:
    """What the start warns about: an urgent escalation that would text no on-call person."""
    config = read(env)
    if not config.ONCALL_PHONE:
        return [
            "Warning: no on-call contact (ONCALL_PHONE): an urgent escalation pages nobody by SMS, it waits "
            "in the staff console and goes only where e-mail or a webhook is set up (docs/safety.md)."
        ]
    twilio = config.twilio_unset()
    if twilio:
        return [
            f"Warning: ONCALL_PHONE is set but Twilio is not ({', '.join(twilio)} unset): "
            "the on-call person will not be paged."
        ]
    return []


def verbose_setting(env: Dict[str, str]) -> bool:
    return env.get("VERBOSE", default("VERBOSE")) == "1"


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
    verbose = verbose_setting(env)
    log_dir = runtime_dir(env["DATABASE_URL"]) / "log"
    log_dir.mkdir(exist_ok=True)

    processes: Dict[str, subprocess.Popen] = {}
    logs: Dict[str, ServiceLog] = {}
    received: Optional[int] = None

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal received
        received = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    rasa_url = f"http://{host}:{env.get('RASA_PORT', default('RASA_PORT'))}/"
    action_url = env["ACTION_SERVER_URL"].rsplit("/", 1)[0]
    widget_url = f"http://{host}:{env.get('WIDGET_PORT', default('WIDGET_PORT'))}/"
    console_url = f"http://{host}:{env.get('CONSOLE_PORT', default('CONSOLE_PORT'))}/"
    # What answers once each service is up; the outbox worker has no port (WORKER_READY).
    checks = {"rasa": rasa_url, "actions": action_url + "/health", "widget": widget_url, "console": console_url}
    where = {"rasa": rasa_url, "actions": action_url, "widget": widget_url, "console": console_url}
    try:
        every = commands(env)
        to_terminal(
            f"Starting the {', '.join(SERVICES[service] for service in services)} "
            f"(logs in {shown(log_dir)}/" + (")." if verbose else "; VERBOSE=1 shows them here too).")
        )
        if "worker" in services:  # the outbox worker sends the pages
            for warning in paging_warnings(env):
                to_terminal(warning, sys.stderr)
        for service in services:
            name = SERVICES[service]
            logs[service] = ServiceLog(name, log_dir / f"{service}.log", verbose)
            # Own process group: a Ctrl-C in the terminal reaches us, and we stop them in order.
            processes[name] = subprocess.Popen(
                every[name],
                env=process_env(name, env),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        for service in services:  # once every child is started: no reader thread runs while one forks
            logs[service].follow(processes[SERVICES[service]].stdout)
        started = time.monotonic()
        timeout = float(env.get("START_TIMEOUT", default("START_TIMEOUT")))
        pending = list(services)
        while pending:
            for service in services:
                code = processes[SERVICES[service]].poll()
                if code is not None:
                    logs[service].report_exit(code)
                    to_terminal("The assistant did not start; see the messages above.", sys.stderr)
                    return 1
            if received is not None:
                to_terminal("\nStopping the assistant...")
                return 0
            for service in list(pending):
                if service in checks:
                    up = answers(checks[service])
                else:  # the worker: once it says so, or once everything else is up (LOG_LEVEL may hide its line)
                    up = logs[service].worker_ready.is_set() or pending == [service]
                if up:
                    pending.remove(service)
                    state = f"up on {where[service]}" if service in where else "running"
                    to_terminal(f"{SERVICES[service]:<14} {state}  (log: {shown(logs[service].path)})")
            if pending and time.monotonic() - started > timeout:
                late = ", ".join(f"{SERVICES[service]} ({shown(logs[service].path)})" for service in pending)
                to_terminal(f"The assistant did not start in {timeout:.0f}s: not up yet: {late}.", sys.stderr)
                return 1
            if pending:
                time.sleep(0.5)
        lines = {
            "rasa": f'  REST:      POST {rasa_url}webhooks/rest/webhook  {{"sender": "me", "message": "hi"}}\n'
            f"  socket.io: {rasa_url}socket.io\n"
            f"  channels:  {', '.join(name.split('.')[-2] if '.' in name else name for name in channels)}\n"
            f"  endpoints: {env['RASA_ENDPOINTS']}\n"
            f"  HTTP API token: $RASA_API_TOKEN or var/api-token\n",
            "actions": f"  action server: {action_url}\n",
            "widget": f"  chat widget demo page: {widget_url}\n",
            "console": f"  staff console: {console_url}  (accounts: python -m console.accounts)\n",
        }
        to_terminal(
            f"\nThe assistant is up after {time.monotonic() - started:.0f}s.\n"
            + "".join(lines.get(service, "") for service in services)
            + f"  logs: {shown(log_dir)}/<service>.log\n"
            + "Press Ctrl-C to stop.\n"
        )
        while received is None:
            for service in services:
                name = SERVICES[service]
                code = processes[name].poll()
                if code is not None:
                    logs[service].report_exit(code)
                    to_terminal(f"{name} stopped unexpectedly (code {code}); shutting down.", sys.stderr)
                    return 1
            time.sleep(0.5)
        to_terminal("\nStopping the assistant...")
        return 0
    finally:
        stop(processes)
        for log in logs.values():
            log.close()


if __name__ == "__main__":
    sys.exit(main())
