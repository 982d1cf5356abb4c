"""Every environment variable the project reads, declared once: its default, its type, what it means.

The code takes its values from ``settings.get()``, one immutable ``Settings`` read from the
environment on first use, so a value is parsed in one place and means the same to every process.
docs/configuration.md is generated from these declarations (``python -m scripts.configuration_doc``),
and tests/test_settings.py fails when it differs from them or when any code reads a variable not
declared here: the list cannot drift.

- A default is the text the variable takes when it is unset, parsed as a set value would be.
  Secrets (tokens, passwords) are settings too but never have a default in the repository, and
  stay out of ``repr(Settings)`` so a logged object shows none.
- The variables of the tests and developer tools (TEST_POSTGRES_URL, NGINX, ...) are declared as
  well, in "tests and tools": scripts/cluster.py reads some of them, and one list is where a
  contributor finds every variable there is.
- serve/run.py builds its children's environments as dicts (``os.environ`` and what it adds);
  the defaults it fills in come from ``default()``.
- Tests change the environment with ``monkeypatch``; tests/conftest.py's ``monkeypatch`` calls
  ``reload()`` after every ``setenv``, ``delenv`` and undo, so the next ``get()`` reads it again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent

# The groups, in the order docs/configuration.md lists them.
SERVERS = "servers and ports"
DATABASE = "database and profile"
NOTIFICATIONS = "notifications"
CHANNELS = "channels"
CONSOLE = "console"
LIMITS = "limits"
TUNING = "tuning"
TOOLS = "tests and tools"
GROUPS = (SERVERS, DATABASE, NOTIFICATIONS, CHANNELS, CONSOLE, LIMITS, TUNING, TOOLS)

# How large a request body each server accepts. Sanic accepts 100 MB and engine.io 1 MB by
# default; a chat message needs a few kilobytes. The Rasa server's default leaves room for the
# largest webhook a provider sends: a Telegram update with a 4,096-character text and the message
# it replies to, non-ASCII escaped as \uXXXX, is about 60 KB; Messenger may batch several messages.
MAX_REQUEST_BYTES = 256 * 1024  # Rasa server: webhooks, REST, socket.io messages, HTTP API
CONSOLE_MAX_REQUEST_BYTES = 64 * 1024  # staff console: sign-in and note forms
SMALLEST = 1024


def max_request_bytes(
    name: str = "MAX_REQUEST_BYTES", default: int = MAX_REQUEST_BYTES, *, env: Mapping[str, str]
) -> int:
    """The limit set in ``name`` in ``env``, or ``default``; a value that is no number of bytes stops the start.

    Both limits are read with it; serve/run.py checks the environment it hands the Rasa server.
    """
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < SMALLEST:
        raise ValueError(f"{name}={raw!r}: give a number of bytes, at least {SMALLEST}")
    return int(raw)


Convert = Callable[[str, str], Any]  # (name, text) -> value; a ValueError names the variable


def _text(name: str, text: str) -> str:
    return text


def _number(kind: Callable[[str], Any], expected: str) -> Convert:
    def convert(name: str, text: str) -> Any:
        try:
            return kind(text)
        except ValueError:
            raise ValueError(f"{name}={text!r}: give {expected}") from None

    return convert


WHOLE = _number(int, "a whole number")
DECIMAL = _number(float, "a number")


def _flag(name: str, text: str) -> bool:
    """On only for "1", as everywhere in the project."""
    return text == "1"


def _days(name: str, text: str) -> Optional[int]:
    """A number of days, or none when empty."""
    return WHOLE(name, text.strip()) if text.strip() else None


def _base_url(name: str, text: str) -> Optional[str]:
    """An address without surrounding spaces or a trailing slash; none when empty."""
    return text.strip().rstrip("/") or None


_ORIGIN_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def plain_origin(name: str, url: str) -> str:
    """``scheme://host[:port]`` and nothing else: it is compared exactly and goes into headers and pages,
    so a path, quotes, a pattern or a semicolon is refused rather than escaped."""
    parts = urlsplit(url.strip().rstrip("/"))
    if (
        parts.scheme not in ("http", "https")
        or not _ORIGIN_HOST.fullmatch(parts.netloc)
        or parts.path
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"{name}={url!r}: give an origin such as https://chat.example.com")
    return f"{parts.scheme}://{parts.netloc}"


def _origins(name: str, text: str) -> Tuple[str, ...]:
    """Comma-separated origins; none when empty."""
    return tuple(plain_origin(name, part) for part in text.split(",") if part.strip())


E164 = re.compile(r"\+[1-9][0-9]{7,14}")


def _phone(name: str, text: str) -> Optional[str]:
    """An E.164 number (``+12035550100``), or none when empty: a page to a mistyped number reaches nobody."""
    number = text.strip()
    if number and not E164.fullmatch(number):
        raise ValueError(f"{name}={text!r}: give the number in E.164 form, e.g. +12035550100")
    return number or None


def _bytes(default: int) -> Convert:
    """A request size limit, checked by channels/limits.py; empty means the default."""
    return lambda name, text: max_request_bytes(name, default, env={name: text})


@dataclass(frozen=True)
class Spec:
    """One variable: the text used when it is unset (None: it stays unset), and how its text is read."""

    group: str
    meaning: str
    default: Optional[str]
    convert: Convert
    shown: Optional[str]  # the default as the docs give it, when the code works it out
    secret: bool


def setting(
    group: str,
    meaning: str,
    default: Optional[str] = None,
    convert: Convert = _text,
    *,
    shown: Optional[str] = None,
    secret: bool = False,
) -> Any:
    """One variable, declared as a field of Settings; a secret is left out of the object's repr."""
    return field(metadata={"spec": Spec(group, meaning, default, convert, shown, secret)}, repr=not secret)


@dataclass(frozen=True)
class Settings:
    """The values of every variable, read once; attributes are named as the variables are."""

    # servers and ports
    HOST: str = setting(SERVERS, "where the Rasa server, the widget server and the staff console listen", "127.0.0.1")
    RASA_PORT: int = setting(SERVERS, "the Rasa server's port", "5005", WHOLE)
    ACTION_PORT: int = setting(SERVERS, "the action server's port", "5055", WHOLE)
    WIDGET_PORT: int = setting(
        SERVERS, "the widget server's port (the chat widget's files and a demo page)", "8080", WHOLE
    )
    CONSOLE_PORT: int = setting(SERVERS, "the staff console's port", "8090", WHOLE)
    ACTION_HOST: str = setting(
        SERVERS,
        "where the action server listens; only the Rasa server calls it, so it stays on loopback "
        "(rasa-sdk alone would listen on every interface)",
        "127.0.0.1",
    )
    RASA_PUBLIC_URL: Optional[str] = setting(
        SERVERS,
        "the Rasa server as visitors' browsers reach it (the widget connects there)",
        shown="`http://HOST:RASA_PORT`",
    )
    ALLOWED_ORIGINS: Tuple[str, ...] = setting(
        SERVERS,
        "the web pages (comma-separated origins, `https://www.example.com`) whose visitors may chat: the "
        "widget's socket.io connection and the REST webhook refuse browsers on any other, checked exactly",
        "",
        _origins,
        shown="the widget server, `http://HOST:WIDGET_PORT` (and `localhost` for a loopback HOST)",
    )
    RASA_URL: Optional[str] = setting(
        SERVERS,
        "the Rasa server (or load balancer) as the outbox worker reaches it to finish what failed "
        "while the action server was down",
        shown="`http://HOST:RASA_PORT`",
    )
    ACTION_SERVER_URL: str = setting(
        SERVERS,
        "the action server's webhook as the Rasa server calls it (endpoints.yml); serve/run.py sets it "
        "from ACTION_HOST and ACTION_PORT",
        "http://127.0.0.1:5055/webhook",
        shown="`http://ACTION_HOST:ACTION_PORT/webhook`",
    )
    RASA_API_TOKEN: Optional[str] = setting(
        SERVERS,
        "token for Rasa's HTTP API (`/model/parse`, `/conversations/…`)",
        shown="generated into `var/api-token`",
        secret=True,
    )
    ACTION_SERVER_TOKEN: Optional[str] = setting(
        SERVERS,
        "shared secret the Rasa server sends the action server; give every Rasa server and the action "
        "server the same value when they run on different machines",
        shown="generated into `var/action-server-token`",
        secret=True,
    )
    SESSION_SECRET: Optional[str] = setting(
        SERVERS,
        "signs the chat widget's session ids, so only the browser that was given an id can resume it; give "
        "every Rasa server the same value",
        shown="generated into `var/session-secret`",
        secret=True,
    )
    RASA_MODEL: str = setting(SERVERS, "the trained model serve/run.py serves", "models/assistant.tar.gz")
    RASA_WORKERS: int = setting(
        SERVERS,
        "how many processes the Rasa server runs as (one per core is right); their turns of one "
        "conversation stay in order through the lock store",
        "2",
        WHOLE,
    )
    START_TIMEOUT: float = setting(SERVERS, "seconds serve/run.py waits for the servers to answer", "300", DECIMAL)
    LOG_LEVEL: str = setting(SERVERS, "the outbox worker's log level", "INFO")
    VERBOSE: bool = setting(
        SERVERS, "1: serve/run.py shows every service's output in the terminal, as well as in var/log/", "0", _flag
    )

    # database and profile
    DATABASE_URL: str = setting(
        DATABASE,
        "the project's tables and Rasa's tracker store, in one database (an SQLite file, or PostgreSQL)",
        "sqlite:///var/assistant.db",
    )
    RASA_ENDPOINTS: str = setting(
        DATABASE,
        "the profile: `endpoints.production.yml` for several instances on PostgreSQL, Redis and RabbitMQ",
        "endpoints.yml",
    )
    REDIS_URL: str = setting(
        DATABASE,
        "the production profile's lock store (`endpoints.production.yml` needs it set)",
        "redis://127.0.0.1:6379/0",
    )
    RABBITMQ_URL: Optional[str] = setting(
        DATABASE,
        "the production profile's event broker (optional); serve/run.py splits it into the RABBITMQ_ settings below",
    )
    RABBITMQ_HOST: Optional[str] = setting(DATABASE, "the event broker's host", shown="from `RABBITMQ_URL`")
    RABBITMQ_PORT: Optional[str] = setting(DATABASE, "the event broker's port", shown="from `RABBITMQ_URL`")
    RABBITMQ_USER: Optional[str] = setting(DATABASE, "the event broker's user", shown="from `RABBITMQ_URL`")
    RABBITMQ_PASSWORD: Optional[str] = setting(
        DATABASE, "the event broker's password", shown="from `RABBITMQ_URL`", secret=True
    )
    RABBITMQ_QUEUE: str = setting(DATABASE, "the queue Rasa's events go to", "rasa_events")
    RABBITMQ_EXCHANGE: str = setting(DATABASE, "the exchange Rasa publishes its events on", "rasa-exchange")
    CLINIC_PROFILE: str = setting(
        DATABASE,
        "the clinic's facts: offices, hours, prices, what each channel may carry",
        str(ROOT / "clinic" / "profile.yml"),
        shown="`clinic/profile.yml`",
    )
    CLINIC_PHONE_REGION: str = setting(DATABASE, "how phone numbers without a country code are read", "US")

    # notifications
    SMTP_HOST: Optional[str] = setting(NOTIFICATIONS, "the mail server staff notifications go through")
    SMTP_PORT: int = setting(NOTIFICATIONS, "the mail server's port", "25", WHOLE)
    SMTP_USER: Optional[str] = setting(NOTIFICATIONS, "the user to sign in to the mail server as, if it asks")
    SMTP_PASSWORD: Optional[str] = setting(NOTIFICATIONS, "that user's password", secret=True)
    SMTP_STARTTLS: bool = setting(NOTIFICATIONS, "`1` to upgrade the mail connection with STARTTLS", "0", _flag)
    SMTP_FROM: str = setting(NOTIFICATIONS, "the sender of notification e-mails", "assistant@localhost")
    STAFF_EMAIL: Optional[str] = setting(NOTIFICATIONS, "where notification e-mails go (with SMTP_HOST)")
    STAFF_WEBHOOK_URL: Optional[str] = setting(NOTIFICATIONS, "a webhook that receives every notification")
    STAFF_WEBHOOK_SECRET: Optional[str] = setting(
        NOTIFICATIONS, "signs each webhook call: `X-Clinic-Signature: sha256=<HMAC of the body>`", secret=True
    )
    OUTBOX_POLL_SECONDS: float = setting(
        NOTIFICATIONS, "how often the outbox worker looks for due notifications", "5", DECIMAL
    )
    ONCALL_PHONE: Optional[str] = setting(
        NOTIFICATIONS,
        "the on-call person's mobile, E.164: an urgent escalation pages it by SMS through Twilio (TWILIO_ settings)",
        convert=_phone,
    )
    ONCALL_BACKUP_PHONE: Optional[str] = setting(
        NOTIFICATIONS,
        "a second on-call mobile, E.164: paged once if nobody acknowledges the escalation within ONCALL_ACK_MINUTES",
        convert=_phone,
    )
    ONCALL_ACK_MINUTES: int = setting(
        NOTIFICATIONS,
        "minutes after an urgent escalation is stored before the backup contact is paged, unless staff acknowledged it",
        "10",
        WHOLE,
    )

    # channels
    PUBLIC_BASE_URL: Optional[str] = setting(
        CHANNELS,
        "the address the messaging providers reach the assistant on, e.g. `https://assistant.example.com`",
        convert=_base_url,
    )
    TWILIO_ACCOUNT_SID: Optional[str] = setting(CHANNELS, "Twilio account, for SMS and WhatsApp")
    TWILIO_AUTH_TOKEN: Optional[str] = setting(CHANNELS, "Twilio auth token", secret=True)
    TWILIO_NUMBER: Optional[str] = setting(CHANNELS, "the clinic's Twilio number, E.164 (`+12035550100`)")
    TWILIO_WHATSAPP_NUMBER: Optional[str] = setting(
        CHANNELS, "the number WhatsApp replies come from", shown="`TWILIO_NUMBER`"
    )
    TWILIO_API_URL: str = setting(CHANNELS, "Twilio's REST API (a stand-in in tests)", "https://api.twilio.com")
    FACEBOOK_PAGE_ACCESS_TOKEN: Optional[str] = setting(CHANNELS, "the Facebook Page's access token", secret=True)
    FACEBOOK_APP_SECRET: Optional[str] = setting(CHANNELS, "the Meta app's secret", secret=True)
    FACEBOOK_VERIFY_TOKEN: Optional[str] = setting(
        CHANNELS, "any string you choose, for Meta's webhook handshake", secret=True
    )
    FACEBOOK_API_VERSION: str = setting(CHANNELS, "the Graph API version replies go through", "18.0")
    FACEBOOK_GRAPH_URL: str = setting(CHANNELS, "Meta's Graph API (a stand-in in tests)", "https://graph.facebook.com")
    TELEGRAM_BOT_TOKEN: Optional[str] = setting(CHANNELS, "the bot's token from @BotFather", secret=True)
    TELEGRAM_SECRET_TOKEN: Optional[str] = setting(
        CHANNELS, "1-256 of `A-Z a-z 0-9 _ -`, you choose; Telegram sends it with every update", secret=True
    )
    TELEGRAM_API_URL: str = setting(CHANNELS, "Telegram's Bot API (a stand-in in tests)", "https://api.telegram.org")

    # console
    CONSOLE_SESSION_MINUTES: int = setting(CONSOLE, "minutes a staff session lasts without activity", "30", WHOLE)
    CONSOLE_SECURE_COOKIES: bool = setting(
        CONSOLE,
        "`1` when the console is served over HTTPS: its cookies are then `Secure` with the `__Host-` prefix, "
        "and its pages send HSTS",
        "0",
        _flag,
    )
    CONSOLE_PUBLIC_URL: Optional[str] = setting(
        CONSOLE,
        "the staff console as staff reach it from their phones, e.g. `https://console.example.com`: "
        "the on-call page links to the escalation there",
        convert=_base_url,
    )
    CONSOLE_TIMEZONE: str = setting(
        CONSOLE,
        "the clinic's time zone: the console shows times in it, and the profile's opening hours are read in it",
        "America/New_York",
    )
    RETENTION_DAYS: Optional[int] = setting(
        CONSOLE,
        "days conversations and records are kept: the staff console prunes older ones daily, and "
        "`python -m console.retention` takes it as its default",
        convert=_days,
    )

    # limits
    MAX_REQUEST_BYTES: int = setting(
        LIMITS,
        "the largest request body (or socket.io message) the Rasa server reads, and nginx's in the "
        "production profile; a larger one gets `413`",
        str(MAX_REQUEST_BYTES),
        _bytes(MAX_REQUEST_BYTES),
    )
    CONSOLE_MAX_REQUEST_BYTES: int = setting(
        LIMITS,
        "the largest request body the staff console reads",
        str(CONSOLE_MAX_REQUEST_BYTES),
        _bytes(CONSOLE_MAX_REQUEST_BYTES),
    )

    # tuning
    TRACKER_RECENT_TURNS: int = setting(
        TUNING,
        "how many recent turns of a conversation Rasa reads in full to answer a message (earlier turns "
        "count only through the slot values they left; `0` reads everything); the database keeps every event",
        "10",
        WHOLE,
    )
    DATABASE_RETRY_SECONDS: float = setting(
        TUNING, "how long the tracker store retries a database that does not answer", "30", DECIMAL
    )
    LOCK_POLL_SECONDS: float = setting(
        TUNING, "how often a turn waiting for its conversation's lock looks again", "0.02", DECIMAL
    )
    LOCK_STORE_TIMEOUT_SECONDS: float = setting(TUNING, "how long the Redis lock store waits for Redis", "2", DECIMAL)
    RECOVERY_HOURS: float = setting(
        TUNING,
        "how far back the outbox worker looks for actions that failed while the action server was down",
        "24",
        DECIMAL,
    )

    # tests and tools
    TEST_POSTGRES_URL: str = setting(
        TOOLS, "the PostgreSQL server the tests make their databases on", "postgresql://postgres@127.0.0.1:5432/test"
    )
    POSTGRES_ADMIN_URL: str = setting(
        TOOLS,
        "PostgreSQL as its administrator, for the production-profile cluster (scripts/cluster.py)",
        "postgresql://postgres@127.0.0.1:5432/postgres",
    )
    TEST_REDIS_URL: str = setting(TOOLS, "Redis for the lock store tests and the cluster", "redis://127.0.0.1:6379/0")
    TEST_RABBITMQ_URL: str = setting(
        TOOLS, "RabbitMQ for the cluster's event broker", "amqp://guest:guest@127.0.0.1:5672/%2F"
    )
    NGINX: Optional[str] = setting(
        TOOLS, "the nginx program the cluster balances with", shown="`nginx` on the PATH, else `/usr/sbin/nginx`"
    )
    CHROMIUM: Optional[str] = setting(TOOLS, "the Chromium the browser tests drive", shown="`chromium` on the PATH")

    def browser_origins(self) -> Tuple[str, ...]:
        """The origins allowed to chat: ALLOWED_ORIGINS, else the widget server's own page."""
        if self.ALLOWED_ORIGINS:
            return self.ALLOWED_ORIGINS
        hosts = ("127.0.0.1", "localhost") if self.HOST in ("127.0.0.1", "localhost", "0.0.0.0") else (self.HOST,)
        return tuple(f"http://{host}:{self.WIDGET_PORT}" for host in hosts)

    def twilio_unset(self) -> List[str]:
        """The Twilio settings that sending an SMS (an on-call page) needs and that are unset."""
        needed = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
        return [name for name in needed if not getattr(self, name)]

    def required(self, name: str) -> str:
        """A setting a feature cannot go without: unset raises KeyError(name), as ``os.environ[name]`` did."""
        value = getattr(self, name)
        if value is None:
            raise KeyError(name)
        return value


SPECS: Dict[str, Spec] = {item.name: item.metadata["spec"] for item in fields(Settings)}
TYPES: Dict[str, str] = {item.name: str(item.type) for item in fields(Settings)}


def read(environ: Mapping[str, str]) -> Settings:
    """The settings ``environ`` gives: a child's environment, or a test's; ``get()`` reads os.environ."""
    values = {}
    for name, spec in SPECS.items():
        text = environ.get(name, spec.default)
        values[name] = None if text is None else spec.convert(name, text)
    return Settings(**values)


_current: Optional[Settings] = None


def get() -> Settings:
    """This process's settings, read from its environment the first time (a bad value raises here, naming it)."""
    global _current
    if _current is None:
        _current = read(os.environ)
    return _current


def reload() -> None:
    """Forget the values read: the next ``get()`` reads the environment again (for tests; see the docstring)."""
    global _current
    _current = None


def default(name: str) -> str:
    """The text ``name`` takes when unset, for code that fills in an environment (serve/run.py)."""
    text = SPECS[name].default
    if text is None:
        raise LookupError(f"{name} has no default")
    return text
