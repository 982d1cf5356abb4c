"""The console against OWASP ASVS 4.0.3 level 2: one test per requirement, named by its number.

docs/security.md lists each requirement with what the console does and the test here that proves it.
"""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pyotp
import pytest
import requests
from sqlalchemy import select, update

from console.auth import create_user, hash_password, set_password
from console.passwords import MAX_LENGTH
from records.models import staff_recovery_codes, staff_sessions, staff_users
from records.store import Store
from tests.console.conftest import AUTHENTICATORS, PASSWORD, ConsoleServer, Staff, audits, concrete_paths, form_value

NEW_PASSWORD = "a brand new passphrase"


def password_step(console: ConsoleServer, username: str, password: str = PASSWORD) -> Staff:
    """A session that has given only its password."""
    staff = Staff(console.url)
    form = staff.get(console.url + "/login")
    response = staff.post(
        console.url + "/login",
        data={"login_token": form_value(form, "login_token"), "username": username, "password": password},
    )
    assert response.status_code == 200
    staff.csrf = form_value(response, "csrf_token")
    staff.second_factor_page = response  # type: ignore[attr-defined]
    return staff


def stored_user(store: Store, username: str):
    with store.engine.connect() as connection:
        return connection.execute(select(staff_users).where(staff_users.c.username == username)).one()


@pytest.mark.parametrize("password", ["eleven char", "x" * (MAX_LENGTH + 1)])
def test_asvs_2_1_1_and_2_1_2_passwords_are_12_to_128_characters(console_store: Store, password: str) -> None:
    with pytest.raises(ValueError, match=r"at least 12 characters|at most 128 characters"):
        create_user(console_store.engine, "carol", password, "staff")
    create_user(console_store.engine, "carol", "twelve chars", "staff")  # spaces count, 12 is enough
    create_user(console_store.engine, "dave", "long passphrase " * 8, "staff")  # 128 characters


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop12", "123qweasdzxc", "1q2w3e4r5t6y"])
def test_asvs_2_1_7_common_and_breached_passwords_are_refused_with_a_clear_message(
    console_store: Store, password: str
) -> None:
    with pytest.raises(ValueError, match="most common passwords in public breaches"):
        create_user(console_store.engine, "carol", password, "staff")
    with pytest.raises(ValueError, match="most common passwords in public breaches"):
        set_password(console_store.engine, "bob", password.upper())
    with pytest.raises(ValueError, match="too easy to guess"):
        set_password(console_store.engine, "bob", "bobbobbobbob")


def test_asvs_2_1_7_a_breached_password_given_at_sign_in_must_be_changed_before_anything_else(
    console: ConsoleServer, console_store: Store
) -> None:
    with console_store.engine.begin() as connection:  # set before the check existed
        connection.execute(
            update(staff_users)
            .where(staff_users.c.username == "bob")
            .values(password_hash=hash_password("password1234"))
        )
    bob = Staff(console.url)
    assert bob.sign_in("bob", "password1234").status_code == 200
    sent_back = bob.get(console.url + "/queues", allow_redirects=False)
    assert sent_back.status_code == 302 and sent_back.headers["Location"] == "/account?done=weak"
    assert "common or breached passwords" in bob.get_page("/account?done=weak").text
    assert bob.submit("/items/A-ZZZZZZ/status", status="done").status_code == 403
    changed = bob.submit(
        "/account/password", current_password="password1234", new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD
    )
    assert changed.status_code == 302
    assert bob.get(console.url + "/queues", allow_redirects=False).status_code == 200
    assert stored_user(console_store, "bob").must_change_password == 0


def test_asvs_2_1_5_and_2_1_6_staff_change_their_password_giving_the_current_one(
    alice: Staff, console: ConsoleServer
) -> None:
    alice.get_page("/account")
    wrong = alice.submit(
        "/account/password",
        current_password="not it at all",
        new_password=NEW_PASSWORD,
        new_password_again=NEW_PASSWORD,
    )
    assert wrong.status_code == 401 and "current password was not right" in wrong.text
    common = alice.submit(
        "/account/password", current_password=PASSWORD, new_password="password1234", new_password_again="password1234"
    )
    assert common.status_code == 400 and "most common passwords" in common.text
    changed = alice.submit(
        "/account/password", current_password=PASSWORD, new_password=NEW_PASSWORD, new_password_again=NEW_PASSWORD
    )
    assert changed.status_code == 302 and "was changed" in alice.get_page(changed.headers["Location"]).text
    assert Staff(console.url).sign_in("alice").status_code == 401
    assert Staff(console.url).sign_in("alice", NEW_PASSWORD).status_code == 200


def test_asvs_2_8_1_enrolment_shows_a_qr_code_and_turns_on_only_after_a_code_from_the_app(
    console: ConsoleServer, console_store: Store
) -> None:
    bob = password_step(console, "bob")
    page = bob.second_factor_page  # type: ignore[attr-defined]
    assert page.url.split("?")[0].endswith("/enrol")
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page.text)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1).replace(" ", "")
    wrong = bob.submit("/enrol", code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert wrong.status_code == 401 and "does not match" in wrong.text
    assert stored_user(console_store, "bob").totp_secret is None
    turned_on = bob.submit("/enrol", code=pyotp.TOTP(secret).now())
    assert turned_on.status_code == 200 and len(re.findall(r"<li><code>\w{5}-\w{5}</code></li>", turned_on.text)) == 10
    assert stored_user(console_store, "bob").totp_secret == secret
    again = password_step(console, "bob").second_factor_page  # type: ignore[attr-defined]
    assert again.url.split("?")[0].endswith("/login/code") and secret not in again.text  # never shown again


def test_a_second_password_only_session_cannot_replace_an_authenticator_just_set_up(
    console: ConsoleServer, console_store: Store
) -> None:
    owner, other = password_step(console, "bob"), password_step(console, "bob")
    keys = [
        re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', staff.second_factor_page.text).group(1).replace(" ", "")  # type: ignore[attr-defined]
        for staff in (owner, other)
    ]
    assert keys[0] != keys[1]
    assert owner.submit("/enrol", code=pyotp.TOTP(keys[0]).now()).status_code == 200
    late = other.submit("/enrol", code=pyotp.TOTP(keys[1]).now())
    assert late.status_code == 401 and stored_user(console_store, "bob").totp_secret == keys[0]


def test_every_account_without_two_factor_enrols_before_any_other_page(
    console: ConsoleServer, console_store: Store
) -> None:
    bob = password_step(console, "bob")
    for method, path in concrete_paths(console_store):
        if path == "/logout":
            continue
        response = bob.request(method, console.url + path, data={"csrf_token": bob.csrf}, allow_redirects=False)
        if method == "GET" and path not in ("/enrol", "/login/code"):
            assert response.status_code == 302 and response.headers["Location"].startswith("/enrol?next="), path
        elif method == "POST" and path != "/enrol":
            assert response.status_code == 401, path


def test_asvs_2_8_4_and_2_8_5_a_code_signs_in_only_once_and_a_replay_is_logged(
    alice: Staff, console: ConsoleServer, console_store: Store
) -> None:
    authenticator = AUTHENTICATORS["alice"]
    used = pyotp.TOTP(authenticator.secret).generate_otp(authenticator.last_step)
    replay = password_step(console, "alice")
    refused = replay.submit("/login/code", code=used)
    assert refused.status_code == 401 and "used already" in refused.text
    assert replay.get(console.url + "/queues", allow_redirects=False).status_code == 302
    assert [entry.username for entry in audits(console_store, "replayed sign-in code")] == ["alice"]
    replay.submit("/login/code", code="not a code")
    assert len(audits(console_store, "failed sign-in code")) == 1


def test_asvs_2_5_and_2_6_recovery_codes_sign_in_once_each_and_are_stored_hashed(
    console: ConsoleServer, console_store: Store
) -> None:
    enrolled = Staff(console.url).sign_in("bob")
    codes = re.findall(r"<li><code>(\w{5}-\w{5})</code></li>", enrolled.text)
    with console_store.engine.connect() as connection:
        stored = connection.execute(select(staff_recovery_codes.c.code_hash)).scalars().all()
    assert len(stored) == 10 and not any(code.replace("-", "") in digest for code in codes for digest in stored)
    lost_phone = password_step(console, "bob")
    assert lost_phone.submit("/login/code", code=codes[3].upper()).status_code == 302
    assert lost_phone.get_page("/queues").status_code == 200
    assert "9 recovery codes left" in lost_phone.get_page("/account").text
    again = password_step(console, "bob")
    assert again.submit("/login/code", code=codes[3]).status_code == 401


def test_asvs_3_2_1_signing_in_issues_a_new_session_token_at_each_step(
    console: ConsoleServer, console_store: Store
) -> None:
    enrolment = Staff(console.url).sign_in("alice")
    enrolment_token = SimpleCookie(enrolment.headers["Set-Cookie"])["console_session"].value
    half = password_step(console, "alice")
    password_token = half.cookies["console_session"]
    done = half.submit("/login/code", code=AUTHENTICATORS["alice"].code())
    full_token = SimpleCookie(done.headers["Set-Cookie"])["console_session"].value
    assert done.status_code == 302 and len({enrolment_token, password_token, full_token}) == 3
    old = requests.get(
        console.url + "/login/code", cookies={"console_session": password_token}, allow_redirects=False, timeout=10
    )
    assert old.status_code == 302 and old.headers["Location"].startswith("/login?next=")  # the password-only one ended
    with console_store.engine.connect() as connection:
        assert len(connection.execute(select(staff_sessions)).all()) == 2  # the enrolment's and the new one


def test_asvs_3_3_4_staff_see_their_other_sessions_and_end_them_having_re_entered_the_password(
    alice: Staff, console: ConsoleServer
) -> None:
    phone, laptop = Staff(console.url), Staff(console.url)
    phone.sign_in("alice")
    laptop.sign_in("alice")
    page = alice.get_page("/account").text
    others = re.findall(r'name="session" value="(\d+)"', page)
    assert len(others) == 2 and page.count("this browser") == 1
    refused = alice.submit("/account/sessions/end", session=others[0], which="ticked", current_password="wrong guess")
    assert refused.status_code == 401
    assert all(s.get(console.url + "/queues", allow_redirects=False).status_code == 200 for s in (phone, laptop))
    ended = alice.submit("/account/sessions/end", session=others[0], which="ticked", current_password=PASSWORD)
    assert ended.status_code == 302
    still = [s for s in (phone, laptop) if s.get(console.url + "/queues", allow_redirects=False).status_code == 200]
    assert len(still) == 1
    assert alice.submit("/account/sessions/end", which="all", current_password=PASSWORD).status_code == 302
    assert still[0].get(console.url + "/queues", allow_redirects=False).status_code == 302
    assert alice.get(console.url + "/queues", allow_redirects=False).status_code == 200


def test_asvs_3_3_4_no_one_can_end_someone_elses_session(alice: Staff, console: ConsoleServer) -> None:
    bob = Staff(console.url)
    bob.sign_in("bob")
    alice.get_page("/account")
    everyone = [str(session_id) for session_id in range(1, 10)]
    alice.post(
        console.url + "/account/sessions/end",
        data={"csrf_token": alice.csrf, "session": everyone, "which": "ticked", "current_password": PASSWORD},
    )
    assert bob.get(console.url + "/queues", allow_redirects=False).status_code == 200


def test_asvs_3_7_1_a_new_authenticator_needs_the_password_and_a_current_code(
    alice: Staff, console: ConsoleServer, console_store: Store
) -> None:
    before = stored_user(console_store, "alice").totp_secret
    alice.get_page("/account")
    without_code = alice.submit("/account/two-factor", current_password=PASSWORD, code="123456")
    assert without_code.status_code == 401 and stored_user(console_store, "alice").totp_secret == before
    assert alice.get(console.url + "/enrol", allow_redirects=False).headers["Location"] == "/account"
    started = alice.submit("/account/two-factor", current_password=PASSWORD, code=AUTHENTICATORS["alice"].code())
    assert started.status_code == 302 and started.headers["Location"] == "/enrol?next=/account"
    finished = alice.second_factor("alice", alice.get(console.url + "/enrol?next=/account"))
    assert finished.status_code == 200 and "recovery codes" in finished.text
    assert stored_user(console_store, "alice").totp_secret not in (None, before)
    assert Staff(console.url).sign_in("alice").status_code == 200  # with the new app's code


@pytest.mark.slow  # a console process of its own
def test_asvs_3_4_and_14_4_over_https_cookies_take_the_host_prefix_and_pages_send_hsts(console_store: Store) -> None:
    server = ConsoleServer(console_store.url, {"CONSOLE_SECURE_COOKIES": "1"})
    try:
        login = requests.get(server.url + "/login", timeout=10)
        cookie = SimpleCookie(login.headers["Set-Cookie"])["__Host-console_login"]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
        assert not cookie["domain"]
        assert login.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    finally:
        server.stop()


def test_asvs_3_4_1_to_3_4_3_session_cookies_are_http_only_and_strict(console: ConsoleServer) -> None:
    staff = Staff(console.url)
    response = staff.sign_in("alice")
    cookie = SimpleCookie(response.headers["Set-Cookie"])["console_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain HTTP in this test; Secure and __Host- over HTTPS (above)


def test_asvs_14_4_every_page_sends_the_security_headers(
    alice: Staff, console: ConsoleServer, console_store: Store
) -> None:
    paths = {path for method, path in concrete_paths(console_store) if method == "GET"} | {
        "/login",
        "/static/console.css",
    }
    for path in sorted(paths):
        for who in (alice, requests.Session()):
            headers = who.get(console.url + path, allow_redirects=False, timeout=10).headers
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
            assert "default-src 'self'" in headers["Content-Security-Policy"], path
            assert headers["X-Content-Type-Options"] == "nosniff", path
            assert headers["Referrer-Policy"] == "no-referrer", path
            assert "Strict-Transport-Security" not in headers  # plain HTTP: only over HTTPS
