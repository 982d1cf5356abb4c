"""Who may see what: sign-in, sessions, CSRF, throttling and the admin-only audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select, update

from console.app import PUBLIC_ROUTES
from records.models import audit_log, login_attempts, staff_sessions, utcnow
from records.store import Store
from settings import CONSOLE_MAX_REQUEST_BYTES
from tests.console.conftest import PASSWORD, ConsoleServer, Staff, concrete_paths
from tests.raw_http import chunked_head, chunks_past, content_length_head, raw_request


def test_every_route_but_sign_in_and_static_refuses_an_anonymous_visitor(
    console: ConsoleServer, console_store: Store
) -> None:
    routes = list(concrete_paths(console_store))
    assert len(routes) >= 11 and ("GET", "/audit") in routes and ("POST", "/items/A-ZZZZZZ/status") in routes
    for method, path in routes:
        response = requests.request(method, console.url + path, allow_redirects=False, timeout=10)
        if method == "GET":
            assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path
        else:
            assert response.status_code == 401, (method, path)
    assert requests.get(console.url + "/static/console.css", timeout=10).status_code == 200
    assert requests.get(console.url + "/no-such-page", allow_redirects=False, timeout=10).status_code == 302


def test_public_routes_are_only_the_sign_in_page_and_static_files() -> None:
    assert PUBLIC_ROUTES == {"login", "login_submit", "static"}


def test_signing_in_sets_a_strict_http_only_cookie_and_a_wrong_password_is_refused(console: ConsoleServer) -> None:
    staff = Staff(console.url)
    refused = staff.sign_in("alice", "not the password at all")
    assert refused.status_code == 401 and "Wrong username or password" in refused.text
    assert "console_session" not in staff.cookies
    signed_in = Staff(console.url)
    response = signed_in.sign_in("ALICE")  # usernames are not case-sensitive
    assert response.status_code == 200 and "Two-factor sign-in is on" in response.text
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie


def test_sign_out_ends_the_session_for_good(alice: Staff, console: ConsoleServer) -> None:
    stolen_cookie = alice.cookies["console_session"]
    assert alice.submit("/logout").status_code == 302
    thief = requests.get(
        console.url + "/queues", cookies={"console_session": stolen_cookie}, allow_redirects=False, timeout=10
    )
    assert thief.status_code == 302 and thief.headers["Location"].startswith("/login")


def test_an_idle_session_expires(alice: Staff, console_store: Store) -> None:
    with console_store.engine.begin() as connection:
        connection.execute(update(staff_sessions).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = alice.get(alice.base + "/queues", allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_older_than_the_maximum_expires_even_when_used(alice: Staff, console_store: Store) -> None:
    with console_store.engine.begin() as connection:
        connection.execute(update(staff_sessions).values(created_at=utcnow() - timedelta(hours=13)))
    assert alice.get(alice.base + "/queues", allow_redirects=False).status_code == 302


def test_a_post_without_the_session_csrf_token_is_refused_and_changes_nothing(
    alice: Staff, console_store: Store
) -> None:
    reference = console_store.submit_appointment(
        "v1",
        "rest",
        {
            "name": "Maria",
            "phone": None,
            "email": "m@example.com",
            "office": "Westport",
            "preferred_times": "mornings",
            "reason": None,
            "consent": True,
        },
    ).reference
    for token in ("", "forged-token", alice.csrf + "x"):
        response = alice.post(
            f"{alice.base}/items/{reference}/status",
            data={"csrf_token": token, "status": "done"},
            allow_redirects=False,
        )
        assert response.status_code == 403
    assert alice.post(f"{alice.base}/logout", allow_redirects=False).status_code == 403
    assert console_store.appointment(reference).status == "new" and console_store.status_changes(reference) == []


def test_the_sign_in_form_needs_its_own_token(console: ConsoleServer) -> None:
    staff = Staff(console.url)
    staff.get(console.url + "/login")
    response = staff.post(
        console.url + "/login",
        data={"login_token": "guess", "username": "alice", "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status_code == 403 and "console_session" not in staff.cookies


@pytest.mark.slow  # three console processes
def test_after_five_failures_a_username_is_locked_out_even_across_a_restart(console_store: Store) -> None:
    server = ConsoleServer(console_store.url)
    try:
        for _ in range(5):
            assert Staff(server.url).sign_in("alice", "wrong password guess").status_code == 401
        assert Staff(server.url).sign_in("alice").status_code == 429
    finally:
        server.stop()
    restarted = ConsoleServer(console_store.url)
    try:
        locked = Staff(restarted.url).sign_in("alice")
        assert locked.status_code == 429 and "Too many failed sign-ins" in locked.text
        assert Staff(restarted.url).sign_in("bob").status_code == 200  # other people are not locked out
    finally:
        restarted.stop()
    with console_store.engine.begin() as connection:  # the window passes
        connection.execute(update(login_attempts).values(at=utcnow() - timedelta(minutes=16)))
    again = ConsoleServer(console_store.url)
    try:
        assert Staff(again.url).sign_in("alice").status_code == 200
    finally:
        again.stop()


def test_many_failures_from_one_address_lock_that_address_out(console: ConsoleServer) -> None:
    for attempt in range(20):
        assert Staff(console.url).sign_in(f"nobody{attempt}", "wrong password guess").status_code == 401
    assert Staff(console.url).sign_in("bob").status_code == 429


def test_next_after_sign_in_stays_on_this_site(console: ConsoleServer) -> None:
    staff = Staff(console.url)
    form = staff.get(console.url + "/login")
    token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
    response = staff.post(
        console.url + "/login",
        allow_redirects=False,
        data={"login_token": token, "username": "alice", "password": PASSWORD, "next": "//evil.example/"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/enrol?next=%2Fqueues"


def test_the_audit_log_is_for_admins_only(console: ConsoleServer, alice: Staff, console_store: Store) -> None:
    bob = Staff(console.url)
    bob.sign_in("bob")
    assert "Audit log" not in bob.get_page("/queues").text
    refused = bob.get_page("/audit")
    assert refused.status_code == 403 and "for admins" in refused.text
    page = alice.get_page("/audit")
    assert page.status_code == 200 and "sign in" in page.text and "bob" in page.text
    with console_store.engine.connect() as connection:
        signed_in = (
            connection.execute(select(audit_log.c.username).where(audit_log.c.action == "sign in")).scalars().all()
        )
    assert sorted(signed_in) == ["alice", "bob"]


@pytest.mark.parametrize("path", ["/queues", "/login"])
def test_pages_forbid_framing_and_are_not_cached(console: ConsoleServer, alice: Staff, path: str) -> None:
    headers = alice.get(console.url + path).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"] and headers["Cache-Control"] == "no-store"


def test_the_queue_pages_own_refresh_does_not_keep_a_session_alive(alice: Staff, console_store: Store) -> None:
    soon = utcnow() + timedelta(minutes=2)
    with console_store.engine.begin() as connection:
        connection.execute(update(staff_sessions).values(expires_at=soon))
    assert alice.get(alice.base + "/queues?partial=1").status_code == 200
    with console_store.engine.connect() as connection:
        assert connection.execute(select(staff_sessions.c.expires_at)).scalar_one() == soon
    alice.get(alice.base + "/conversations")
    with console_store.engine.connect() as connection:
        assert connection.execute(select(staff_sessions.c.expires_at)).scalar_one() > soon + timedelta(minutes=20)


def test_failed_and_refused_sign_ins_are_in_the_audit_log(console: ConsoleServer, console_store: Store) -> None:
    for _ in range(6):
        Staff(console.url).sign_in("bob", "wrong password guess")
    with console_store.engine.connect() as connection:
        actions = connection.execute(select(audit_log.c.action).where(audit_log.c.username == "bob")).scalars().all()
    assert actions == ["failed sign in"] * 5 + ["sign in refused: too many failures"]


@pytest.mark.parametrize(
    "head, body",
    [
        (
            content_length_head(
                "/login", 10 * CONSOLE_MAX_REQUEST_BYTES, content_type="application/x-www-form-urlencoded"
            ),
            [b"username=alice&password="],
        ),
        (
            chunked_head("/login", content_type="application/x-www-form-urlencoded"),
            chunks_past(CONSOLE_MAX_REQUEST_BYTES),
        ),
    ],
    ids=["content-length", "chunked"],
)
def test_a_body_over_the_consoles_limit_is_refused_before_it_is_read(console: ConsoleServer, head: str, body) -> None:
    assert raw_request(console.port, head, body) == "HTTP/1.1 413 Request Entity Too Large"
    assert Staff(console.url).sign_in("alice").status_code == 200  # and the console carries on
