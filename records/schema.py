"""Creates and upgrades the project's own tables with the Alembic migrations in ``migrations/``.

Every process that opens the database (each Rasa instance, the action server,
the console, the outbox worker) calls ``upgrade`` on start, so a clinic that
installs a new version gets its schema changes without a separate step, and
several processes starting together must not run the same migration twice:
the migrating connection is held by one process at a time, with a PostgreSQL
advisory lock or, on SQLite, an exclusive lock on a file beside the database.

Rasa's own ``events`` table is Rasa's (its SQL tracker store creates it):
migrations never create, change or drop it.

Run it by hand with ``python -m records.schema`` (``make migrate``).
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, ContextManager, Iterator, Optional, Union

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url

import settings

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"
# Tables in the project's database that the Rasa server's stores create themselves, not these
# migrations: Rasa's conversation events, and the lock store's tickets (rasa_stores/lock_store.py).
RASA_TABLES = frozenset({"events", "conversation_locks"})
# Any fixed 64-bit number that nothing else on the server locks with: "ketamine" in ASCII.
ADVISORY_LOCK_KEY = 0x6B6574616D696E65


def database_url() -> str:
    return settings.get().DATABASE_URL


def alembic_config(target: Union[str, Engine, None] = None) -> Config:
    """Alembic's settings from ``alembic.ini``, pointed at ``target`` (default ``DATABASE_URL``).

    ``migrations/env.py`` reads the target from ``config.attributes``, so a
    running process migrates through its own engine and keeps its logging.
    """
    config = Config(str(ALEMBIC_INI))
    config.attributes["target"] = target or database_url()
    return config


def upgrade(target: Union[str, Engine, None] = None) -> None:
    """Bring the project's tables to the newest migration; safe to call from many processes at once."""
    command.upgrade(alembic_config(target), "head")


def include_object(obj: Any, name: Optional[str], type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave Rasa's tables (and their indexes and columns) out of migrations and their comparisons."""
    return getattr(obj, "table", obj).name not in RASA_TABLES


@contextmanager
def migrating_connection(target: Union[str, Engine]) -> Iterator[Connection]:
    """A connection in a transaction that one process at a time holds, to migrate through."""
    with _engine(target) as engine, _sqlite_file_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # Released when this transaction commits or rolls back, or the connection drops.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        yield connection


def current_revision(target: Union[str, Engine, None] = None) -> Optional[str]:
    """The migration the database is at (None before the first)."""
    with _engine(target or database_url()) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _engine(target: Union[str, Engine]) -> Iterator[Engine]:
    """The caller's engine as it is, or one for a URL that lives only as long as it is needed."""
    if isinstance(target, Engine):
        yield target
        return
    url = make_url(target)
    # On SQLite other processes may be writing (Rasa's events): wait for them rather than fail.
    options = {"connect_args": {"timeout": 30}} if url.get_backend_name() == "sqlite" else {}
    engine = create_engine(url, future=True, **options)
    try:
        yield engine
    finally:
        engine.dispose()


def _sqlite_file_lock(engine: Engine) -> ContextManager[Any]:
    """An exclusive lock on ``<database>.migrate.lock`` for a SQLite file; nothing to lock otherwise.

    Python's sqlite3 runs DDL outside a transaction, so SQLite's own locks
    cannot hold a whole migration; PostgreSQL's lock is taken on the
    connection instead (see ``migrating_connection``).
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return nullcontext()
    return _file_lock(Path(database).with_name(Path(database).name + ".migrate.lock"))


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def main() -> None:
    """``python -m records.schema``: upgrade ``DATABASE_URL`` and say where it is now."""
    url = database_url()
    upgrade(url)
    shown = make_url(url).render_as_string(hide_password=True)
    print(f"{shown}: at migration {current_revision(url)}")


if __name__ == "__main__":
    main()
