"""The cluster keeps answering and loses nothing when one of its services fails.

These run after test_cluster.py on the same cluster (one per package).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import threading
import time
from typing import Callable, List

import pytest

from scripts.bench import BOOKING
from scripts.cluster import Cluster
from tests.chat import joined
from tests.production.conftest import Chat
from tests.proxy import CuttableProxy


def restart_postgresql() -> None:
    """Restart the machine's PostgreSQL cluster, as an operator or a crash-and-restart would."""
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not (versions and shutil.which("pg_ctlcluster") and os.geteuid() == 0):
        pytest.skip("needs root and Debian's pg_ctlcluster to restart PostgreSQL (CI has both)")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_postgresql_restarted_mid_booking_loses_nothing_and_no_instance_restarts(
    chat: Chat, cluster: Cluster, figure: Callable[[str], None]
) -> None:
    sender = "pg-restart-" + secrets.token_hex(4)
    for message in BOOKING[:4]:
        chat.say(sender, message)
    pids = {name: part.process.pid for name, part in cluster.parts.items()}

    replies: List[str] = []
    sent = time.monotonic()
    during = threading.Thread(target=lambda: replies.append(joined(chat.say(sender, BOOKING[4]))))
    restart = threading.Thread(target=restart_postgresql)
    restart.start()
    time.sleep(0.3)
    during.start()  # sent while PostgreSQL is going down and coming back
    restart.join()
    during.join(120)
    assert replies and replies[0]  # answered once the database was back
    figure(f"PostgreSQL restart: the message sent during it was answered after {time.monotonic() - sent:.1f} s")

    done = [
        joined(chat.say(sender, message, via=cluster.instance_urls[number % 2]))
        for number, message in enumerate(BOOKING[5:])
    ]
    assert re.search(r"reference number is A-[A-Z0-9]{6}", done[-1])
    assert [e["text"] for e in chat.events(sender) if e["event"] == "user"] == BOOKING
    assert len(chat.rows("select id from appointment_requests where sender_id = :s", s=sender)) == 1
    assert {name: part.process.pid for name, part in cluster.parts.items()} == pids
    assert all(part.process.poll() is None for part in cluster.parts.values())


def test_with_redis_unreachable_the_assistant_still_answers_then_recovers(
    chat: Chat, cluster: Cluster, redis_proxy: CuttableProxy, figure: Callable[[str], None]
) -> None:
    sender = "no-redis-" + secrets.token_hex(4)
    chat.say(sender, "hi")
    redis_proxy.pull_the_cable()
    try:
        started = time.monotonic()
        answer = joined(chat.say(sender, "is ketamine addictive?"))
        assert answer and time.monotonic() - started < 30  # degraded, not hanging
        figure(f"Redis cut off: answered in {time.monotonic() - started:.2f} s")
        crisis = joined(chat.say(sender, "i want to kill myself"))
        assert "988" in crisis  # crisis resources do not wait for Redis
    finally:
        redis_proxy.plug_in()
    assert joined(chat.say(sender, "thanks"))
    logs = cluster.parts["rasa-1"].log_text() + cluster.parts["rasa-2"].log_text()
    assert "Lock store (Redis) unreachable" in logs and "reachable again" in logs
    assert [e["text"] for e in chat.events(sender) if e["event"] == "user"] == [
        "hi",
        "is ketamine addictive?",
        "i want to kill myself",
        "thanks",
    ]


def test_action_server_killed_mid_booking_apologises_and_the_booking_completes_once_it_is_back(
    chat: Chat, cluster: Cluster, figure: Callable[[str], None]
) -> None:
    sender, other = "no-actions-" + secrets.token_hex(4), "no-actions-faq-" + secrets.token_hex(4)
    for message in BOOKING[:-1]:
        chat.say(sender, message)
    cluster.kill("actions")
    try:
        kept = joined(chat.say(sender, BOOKING[-1]))  # "yes send it", with nobody to send it
        assert "isn't responding" in kept and "Nothing you've told me is lost" in kept and "988" in kept
        retry = joined(chat.say(other, "is ketamine addictive?"))
        assert "Please send it again" in retry
        assert chat.rows("select id from appointment_requests where sender_id = :s", s=sender) == []
    finally:
        back = time.monotonic()
        cluster.start_part("actions").wait_until_up()

    deadline, stored = time.monotonic() + 90, []
    while not stored and time.monotonic() < deadline:  # the outbox worker resumes it
        time.sleep(0.5)
        stored = chat.rows("select reference from appointment_requests where sender_id = :s", s=sender)
    [(reference,)] = stored
    figure(f"Action server killed: booking {reference} stored {time.monotonic() - back:.1f} s after the restart began")
    bot_texts = [event.get("text") or "" for event in chat.events(sender) if event["event"] == "bot"]
    assert any(reference in text for text in bot_texts)  # the confirmation is in the conversation
    assert chat.tracker(sender)["slots"]["appointment_reference"] == reference
    answer = joined(chat.say(other, "is ketamine addictive?"))
    assert answer and "isn't responding" not in answer
