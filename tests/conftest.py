"""Shared fixtures: a real SQLite store in a temporary directory, a clean env; the test tiers.

``monkeypatch`` is pytest's, except that changing the environment through it (setenv,
delenv, and undoing them) also makes settings.get() read the environment again.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Dict, Iterator, List, Optional

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

import settings
from records import store as records_store
from records.store import Store
from scripts.servers import RunPy
from tests.providers import CLINIC_NUMBER, TWILIO_SID, TWILIO_TOKEN, StandIn, answer_like_twilio

if TYPE_CHECKING:
    from playwright.sync_api import Browser

POSTGRES = settings.get().TEST_POSTGRES_URL
NOTIFY_VARS = (
    "SMTP_HOST",
    "STAFF_EMAIL",
    "STAFF_WEBHOOK_URL",
    "STAFF_WEBHOOK_SECRET",
    "SMTP_PORT",
    "ONCALL_PHONE",
    "ONCALL_BACKUP_PHONE",
)
TESTS = Path(__file__).resolve().parent
# The on-call person and the backup (555-01xx numbers are reserved for fiction).
ONCALL_PHONE, ONCALL_BACKUP_PHONE = "+12035550181", "+12035550182"

# --- test tiers (markers registered in pytest.ini) -----------------------------------------------
# `make test-fast` runs `-m "not model and not browser and not cluster and not slow"`; `make test` runs all.
# A test is marked by the fixtures it uses, so a new test that uses one gets its tier without
# anyone remembering to mark it. A module marks by hand (pytestmark) only what no fixture tells.
TIERS = {
    "assistant": ("model",),  # a module's running LocalAssistant (serve/run.py with the trained model)
    "channels": ("model",),  # tests/channels: a LocalAssistant behind stand-in messaging APIs
    "safety_player": ("model",),  # tests/safety/test_safety_suite.py: the same, playing the safety suite
    "rasa_env": ("model",),  # a Rasa command (train, test, evaluate) in a subprocess
    "browser": ("browser",),  # headless Chromium
    "cluster": ("cluster", "model"),  # tests/production: Rasa instances on PostgreSQL, Redis, RabbitMQ, nginx
    "console": ("slow",),  # tests/console: a staff console process started for each test (1-2 s each)
}
FOLDER_TIERS = {"production": ("cluster", "model")}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these marks
def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.fspath)).relative_to(TESTS).parts[0]
        marks = set(FOLDER_TIERS.get(folder, ()))
        for name in item.fixturenames:
            marks.update(TIERS.get(name, ()))
        for mark in sorted(marks):
            if item.get_closest_marker(mark) is None:
                item.add_marker(mark)


# Whatever starts serve/run.py (LocalAssistant, a cluster part) must be marked `model`, or the
# fast tier would start Rasa after all: starting it from a test without the mark fails at once.
_current: Optional[pytest.Item] = None
_start = RunPy.start


def _guarded_start(self: RunPy) -> None:
    if _current is not None and _current.get_closest_marker("model") is None:
        raise RuntimeError(
            f"{_current.nodeid} starts serve/run.py: mark it `model` "
            "(pytestmark, or a fixture listed in TIERS in tests/conftest.py)"
        )
    _start(self)


RunPy.start = _guarded_start  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Optional[pytest.Item]) -> Iterator[None]:
    global _current
    _current = item
    try:
        yield
    finally:
        _current = None


class SettingsMonkeyPatch(pytest.MonkeyPatch):
    """pytest's MonkeyPatch, with settings re-read after every change to the environment.

    The code reads the environment once (settings.get()); a test that sets a variable
    means the code to see it, and the next test to see it gone.
    """

    def setenv(self, name: str, value: str, prepend: Optional[str] = None) -> None:
        super().setenv(name, value, prepend)
        settings.reload()

    def delenv(self, name: str, raising: bool = True) -> None:
        super().delenv(name, raising)
        settings.reload()

    def undo(self) -> None:
        super().undo()
        settings.reload()


@pytest.fixture
def monkeypatch() -> Iterator[pytest.MonkeyPatch]:
    """Replaces pytest's own fixture of the name (see SettingsMonkeyPatch)."""
    patch = SettingsMonkeyPatch()
    yield patch
    patch.undo()


@pytest.fixture
def no_notify_targets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NOTIFY_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def oncall(monkeypatch: pytest.MonkeyPatch, no_notify_targets: None) -> Iterator[StandIn]:
    """Twilio's Messages API on loopback, and on-call numbers to page through it (tests/providers.py)."""
    twilio = StandIn(answer_like_twilio).start()
    for name, value in {
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_NUMBER": CLINIC_NUMBER,
        "TWILIO_API_URL": twilio.url,
        "ONCALL_PHONE": ONCALL_PHONE,
        "ONCALL_BACKUP_PHONE": ONCALL_BACKUP_PHONE,
        "ONCALL_ACK_MINUTES": "10",
        "CONSOLE_PUBLIC_URL": "https://console.clinic.example",
    }.items():
        monkeypatch.setenv(name, value)
    yield twilio
    twilio.server.shutdown()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_notify_targets: None) -> Iterator[Store]:
    """A Store on a fresh SQLite file, also installed as the actions' default."""
    fresh = Store(f"sqlite:///{tmp_path / 'assistant.db'}")
    monkeypatch.setattr(records_store, "_default_store", fresh)
    yield fresh
    fresh.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, no_notify_targets: None) -> Iterator[str]:
    """A fresh, empty database of each kind the project runs on.

    PostgreSQL's is made on ``TEST_POSTGRES_URL``'s server and dropped afterwards;
    the test is skipped only when that server cannot be reached.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'assistant.db'}"
        return
    name = f"test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES}: {error.orig}")
    try:
        yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def figure(capsys: pytest.CaptureFixture) -> Callable[[str], None]:
    """Print a measured figure even when the test passes, for the reports that quote it."""

    def show(line: str) -> None:
        with capsys.disabled():
            print(f"\n  figure: {line}")

    return show


@pytest.fixture
def rasa_env(tmp_path: Path) -> Dict[str, str]:
    """Environment for a Rasa command: its own SQLite files, quiet TensorFlow."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'assistant.db'}",
        ACTION_SERVER_URL="http://127.0.0.1:5055/webhook",
        ACTION_SERVER_TOKEN=settings.get().ACTION_SERVER_TOKEN or "",  # endpoints.yml names it
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


@pytest.fixture(scope="module")
def browser() -> Iterator["Browser"]:
    """Headless Chromium (Debian's, see scripts/setup_system.sh) driven by Playwright.

    Per module: Playwright's sync API keeps an event loop running while it is
    open, which would break later tests that call asyncio.run().
    """
    from playwright.sync_api import sync_playwright

    executable = settings.get().CHROMIUM or shutil.which("chromium")
    assert executable, "Chromium is missing: run `make system` (scripts/setup_system.sh)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


SCREENSHOTS = Path(__file__).resolve().parent.parent / "reports" / "screenshots"


@pytest.fixture
def screenshot_dir() -> Path:
    """Where browser tests save what they saw, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
