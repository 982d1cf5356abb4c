"""A widget session id is resumed only with the signature the server issued with it."""

from __future__ import annotations

import uuid

from channels.socketio import issued, session_signature

SECRET = "a-secret-of-this-deployment"


def test_the_signature_the_server_issued_resumes_its_session() -> None:
    session_id = uuid.uuid4().hex
    assert issued(session_id, session_signature(session_id, SECRET), SECRET)


def test_an_id_without_its_signature_or_signed_under_another_secret_resumes_nothing() -> None:
    session_id = uuid.uuid4().hex
    assert not issued(session_id, None, SECRET)
    assert not issued(session_id, "", SECRET)
    assert not issued(session_id, session_signature(session_id, "another deployment"), SECRET)
    assert not issued(session_id, session_signature(uuid.uuid4().hex, SECRET), SECRET)


def test_malformed_ids_and_signatures_are_refused_not_raised_on() -> None:
    good = uuid.uuid4().hex
    for session_id, signature in (({"$ne": ""}, "x"), ("a b", "x"), ("x" * 5000, "x"), (good, 12), (good, ["x"])):
        assert not issued(session_id, signature, SECRET)
