"""Accounts are made with a command; passwords are salted scrypt hashes, never arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select

from console.auth import verify_password
from records.models import staff_sessions, staff_users
from tests.console.conftest import PASSWORD, ConsoleServer, Staff

ROOT = Path(__file__).resolve().parents[2]


def accounts(database_url: str, *args: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "console.accounts", *args],
        cwd=ROOT,
        input=password + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        timeout=60,
    )


def users(database_url: str) -> dict:
    engine = create_engine(database_url)
    try:
        if not inspect(engine).has_table("staff_users"):
            return {}
        with engine.connect() as connection:
            return {row.username: row for row in connection.execute(select(staff_users))}
    finally:
        engine.dispose()


def test_create_reads_the_password_from_stdin_and_stores_only_a_salted_scrypt_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert accounts(url, "create", "--username", "Carol", "--role", "admin").returncode == 0
    assert accounts(url, "create", "--username", "dave").returncode == 0
    stored = users(url)
    assert stored["carol"].role == "admin" and stored["dave"].role == "staff"
    hashes = [stored[name].password_hash for name in ("carol", "dave")]
    assert all(h.startswith("scrypt$") and PASSWORD not in h for h in hashes)
    assert hashes[0] != hashes[1]  # same password, different salt
    assert verify_password(PASSWORD, hashes[0]) and not verify_password(PASSWORD + "!", hashes[0])
    listed = accounts(url, "list").stdout
    assert "carol\tadmin" in listed and "dave\tstaff" in listed


@pytest.mark.parametrize(
    "args, password, message",
    [
        (("--username", "erin"), "short", "at least 12 characters"),
        (("--username", "bad name!"), PASSWORD, "username"),
        (("--username", "frank", "--role", "root"), PASSWORD, "invalid choice"),
    ],
)
def test_create_refuses_weak_passwords_odd_names_and_unknown_roles(
    tmp_path: Path, args: tuple, password: str, message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    result = accounts(url, "create", *args, password=password)
    assert result.returncode != 0 and message in result.stderr and users(url) == {}


def test_an_existing_username_is_not_overwritten(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    accounts(url, "create", "--username", "gina")
    before = users(url)["gina"].password_hash
    result = accounts(url, "create", "--username", "GINA", password="another password entirely")
    assert result.returncode == 2 and "already exists" in result.stderr
    assert users(url)["gina"].password_hash == before


def test_there_is_no_password_option_on_the_command_line(tmp_path: Path) -> None:
    result = accounts(f"sqlite:///{tmp_path / 'a.db'}", "create", "--username", "hal", "--password", PASSWORD)
    assert result.returncode != 0 and "unrecognized arguments" in result.stderr


def test_a_new_password_works_and_ends_existing_sessions(console: ConsoleServer, alice: Staff) -> None:
    url = f"sqlite:///{Path(console.log_path).with_name('console.db')}"
    assert accounts(url, "password", "--username", "alice", password="a brand new passphrase").returncode == 0
    assert alice.get(console.url + "/queues", allow_redirects=False).status_code == 302
    assert Staff(console.url).sign_in("alice").status_code == 401
    assert Staff(console.url).sign_in("alice", "a brand new passphrase").status_code == 200
    engine = create_engine(url)
    with engine.connect() as connection:
        assert len(connection.execute(select(staff_sessions)).all()) == 1
    engine.dispose()
    assert accounts(url, "password", "--username", "nobody").returncode == 1


def test_a_removed_account_can_no_longer_sign_in_or_use_its_session(console: ConsoleServer, alice: Staff) -> None:
    url = f"sqlite:///{Path(console.log_path).with_name('console.db')}"
    assert accounts(url, "remove", "--username", "alice").returncode == 0
    assert alice.get(console.url + "/queues", allow_redirects=False).status_code == 302
    assert Staff(console.url).sign_in("alice").status_code == 401
    assert accounts(url, "remove", "--username", "alice").returncode == 1


def test_reset_two_factor_ends_the_sessions_and_the_next_sign_in_sets_up_the_app_again(
    console: ConsoleServer, alice: Staff
) -> None:
    url = f"sqlite:///{Path(console.log_path).with_name('console.db')}"
    assert "alice\tadmin" in accounts(url, "list").stdout and "two-factor on" in accounts(url, "list").stdout
    assert accounts(url, "reset-two-factor", "--username", "alice").returncode == 0
    assert alice.get(console.url + "/queues", allow_redirects=False).status_code == 302
    assert "two-factor at next sign-in" in accounts(url, "list").stdout
    assert "Two-factor sign-in is on" in Staff(console.url).sign_in("alice").text  # enrolled anew
    assert accounts(url, "reset-two-factor", "--username", "nobody").returncode == 1
