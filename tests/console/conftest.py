"""A real staff console on a free port over a temporary SQLite file, and ways to talk to it.

Conversations are written into the ``events`` table in the shape Rasa's SQL
tracker store writes them (one row per event, the event as JSON in ``data``);
the browser test checks the same pages against a conversation the running
assistant itself stored.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pyotp
import pytest
import requests
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from console.app import PUBLIC_ROUTES, create_app
from console.auth import create_user
from records.models import Escalation, audit_log, events, tracker_metadata, utcnow
from records.store import Store
from serve.run import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


class ConsoleServer:
    """``python -m console`` on a free port, as run.py starts it."""

    def __init__(self, database_url: str, env: Optional[Dict[str, str]] = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(database_url.removeprefix("sqlite:///")).with_suffix(f".console-{self.port}.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "console"],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                "CONSOLE_PORT": str(self.port),
                "HOST": "127.0.0.1",
                **(env or {}),
            },
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log_path.read_text()
            try:
                if requests.get(f"{self.url}/login", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise TimeoutError(self.log_path.read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


@dataclass
class Authenticator:
    """A phone's authenticator app for one account: the key read off the enrolment page, codes by pyotp."""

    secret: str
    last_step: int = 0

    def code(self) -> str:
        """The next code the console has not seen: each 30-second step signs in once, so at most wait for the next.

        The current step's code or the next one's: either is still accepted if a step ends on the way.
        """
        totp = pyotp.TOTP(self.secret)
        while True:
            current = int(time.time() // totp.interval)
            later = [step for step in (current, current + 1) if step > self.last_step]
            if later:
                self.last_step = later[0]
                return totp.generate_otp(self.last_step)
            time.sleep(totp.interval - time.time() % totp.interval + 0.05)


# Each username's app, set when the console shows that account's enrolment page (a new database enrols anew).
AUTHENTICATORS: Dict[str, Authenticator] = {}


def form_value(page: requests.Response, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page.text).group(1)


class Staff(requests.Session):
    """A browser-like session against the console: signs in (password, then the authenticator's code), keeps
    cookies, sends CSRF tokens."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.csrf = ""

    def get_page(self, path: str, **kwargs: Any) -> requests.Response:
        response = self.get(self.base + path, **kwargs)
        found = re.search(r'name="csrf_token" value="([^"]*)"', response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def sign_in(self, username: str, password: str = PASSWORD, next: str = "/queues") -> requests.Response:
        """The password, then the code (enrolling the account first if it has no authenticator yet)."""
        form = self.get(f"{self.base}/login")
        response = self.post(
            f"{self.base}/login",
            data={
                "login_token": form_value(form, "login_token"),
                "username": username,
                "password": password,
                "next": next,
            },
        )
        if response.status_code == 200 and response.url.split("?")[0].endswith(("/login/code", "/enrol")):
            response = self.second_factor(username, response)
        self.get_page("/queues")
        return response

    def second_factor(self, username: str, page: requests.Response) -> requests.Response:
        """Answer the code page, or the enrolment page by reading its key into a new Authenticator."""
        username = username.strip().lower()
        enrolling = page.url.split("?")[0].endswith("/enrol")
        if enrolling:
            secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
            AUTHENTICATORS[username] = Authenticator(secret)
        return self.post(
            self.base + ("/enrol" if enrolling else "/login/code"),
            data={
                "csrf_token": form_value(page, "csrf_token"),
                "code": AUTHENTICATORS[username].code(),
                "next": form_value(page, "next"),
            },
        )

    def submit(self, path: str, **fields: str) -> requests.Response:
        return self.post(self.base + path, data={"csrf_token": self.csrf, **fields}, allow_redirects=False)


# A value for each kind of path parameter, so every route can be requested.
PARAMETER_VALUES = {"reference": "A-ZZZZZZ", "message_id": "1", "filename": "appointments.csv", "session_id": "1"}
_ROUTES: List[Tuple[str, str]] = []


def concrete_paths(store: Store) -> List[Tuple[str, str]]:
    """(method, path) for every route the app has but the public ones, parameters filled in.

    The app is built once per test run: Sanic refuses a second app of the same name.
    """
    if not _ROUTES:
        for route in create_app(store).router.routes:
            if route.name.rsplit(".", 1)[-1] in PUBLIC_ROUTES:
                continue
            path = "/" + re.sub(r"<(\w+):[^>]+>", lambda m: PARAMETER_VALUES[m.group(1)], route.path)
            _ROUTES.extend((method, path) for method in sorted(route.methods - {"HEAD", "OPTIONS"}))
    return _ROUTES


def rasa_event(kind: str, timestamp: float, **fields: Any) -> Tuple[str, Dict[str, Any]]:
    return kind, {"event": kind, "timestamp": timestamp, **fields}


def user_says(
    text: str, intent: str, confidence: float, timestamp: float, channel: str = "rest"
) -> Tuple[str, Dict[str, Any]]:
    return rasa_event(
        "user",
        timestamp,
        text=text,
        input_channel=channel,
        message_id=f"m{timestamp}",
        parse_data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "entities": [],
            "intent_ranking": [{"name": intent, "confidence": confidence}],
        },
    )


def bot_says(
    text: str, timestamp: float, buttons: Optional[List[str]] = None, metadata: Optional[Dict[str, Any]] = None
) -> Tuple[str, Dict[str, Any]]:
    return rasa_event(
        "bot",
        timestamp,
        text=text,
        data={"buttons": [{"title": b, "payload": "/x"} for b in buttons or []]},
        metadata=metadata or {},
    )


def write_conversation(engine: Engine, sender: str, turns: List[Tuple[str, Dict[str, Any]]]) -> None:
    """Rows as rasa.core.tracker_store.SQLTrackerStore writes them."""
    tracker_metadata.create_all(engine)
    with engine.begin() as connection:
        for kind, data in turns:
            intent = (data.get("parse_data") or {}).get("intent", {}).get("name") if kind == "user" else None
            connection.execute(
                insert(events).values(
                    sender_id=sender,
                    type_name=kind,
                    timestamp=data["timestamp"],
                    intent_name=intent,
                    action_name=data.get("name"),  # an action's name, a slot's name (Rasa keeps both here)
                    data=json.dumps(data),
                )
            )


def escalate(store: Store, sender: str, kind: str, question: str, minutes_ago: int = 0, language: str = "en") -> str:
    reference = store.submit_escalation(
        sender,
        "rest",
        kind,
        f"{sender}-{kind}",
        question,
        [{"sender": "user", "text": question}],
        {"name": None, "phone": None, "email": None},
        language=language,
    ).reference
    with store.session() as session:
        session.execute(
            update(Escalation)
            .where(Escalation.reference == reference)
            .values(created_at=utcnow() - timedelta(minutes=minutes_ago))
        )
    return reference


def audits(store: Store, action: str) -> list:
    with store.engine.connect() as connection:
        return connection.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)).all()


@pytest.fixture
def console_store(tmp_path: Path, no_notify_targets: None) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'console.db'}")
    create_user(store.engine, "alice", PASSWORD, "admin")
    create_user(store.engine, "bob", PASSWORD, "staff")
    yield store
    store.engine.dispose()


@pytest.fixture
def console(console_store: Store) -> Iterator[ConsoleServer]:
    server = ConsoleServer(console_store.url)
    yield server
    server.stop()


@pytest.fixture
def alice(console: ConsoleServer) -> Staff:
    staff = Staff(console.url)
    assert staff.sign_in("alice").status_code == 200
    return staff
