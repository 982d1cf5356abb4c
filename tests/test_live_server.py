"""The running assistant over real HTTP: Rasa server, action server, SQLite.

Starts `serve/run.py` (what `make run` runs) on free ports with a temporary
database, talks to it through the REST channel and the HTTP API, and checks
what was stored. The last test stops it with Ctrl-C (SIGINT), as a person would.
"""

from __future__ import annotations

import json
import re
import secrets
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests
from sqlalchemy import create_engine, text

from scripts.servers import LocalAssistant
from serve.rasa_api import api_headers
from serve.run import free_port
from tests.chat import joined, say

ROOT = Path(__file__).resolve().parent.parent
CRISIS_NUMBERS = ("988", "911", "741741")
ACTION_SERVER_TOKEN = secrets.token_urlsafe(16)


class Assistant(LocalAssistant):
    """A started assistant and the ways a test talks to it."""

    def say(self, sender: str, message: str) -> List[Dict[str, Any]]:
        return say(self.url, sender, message, timeout=60)

    def parse(self, message: str) -> Dict[str, Any]:
        response = requests.post(
            f"{self.url}/model/parse", headers=api_headers(self.token), json={"text": message}, timeout=30
        )
        assert response.status_code == 200
        return response.json()

    def events(self, sender: str) -> List[Dict[str, Any]]:
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", headers=api_headers(self.token), timeout=30
        )
        assert response.status_code == 200
        return response.json()["events"]

    def rows(self, sql: str, **params: Any) -> List[Any]:
        engine = create_engine(f"sqlite:///{self.db}")
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(sql), params))
        finally:
            engine.dispose()


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    running = Assistant(
        tmp_path_factory.mktemp("live"), {"LOG_LEVEL": "INFO", "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN}
    )
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


def test_greeting_says_it_is_an_automated_assistant_and_not_for_emergencies(assistant: Assistant) -> None:
    reply = joined(assistant.say(new_sender(), "hi"))
    assert "automated assistant" in reply and "not a clinician" in reply
    assert "911" in reply and "988" in reply


def test_myth_question_gets_the_article_answer_with_next_steps(assistant: Assistant) -> None:
    replies = assistant.say(new_sender(), "isn't ketamine just a party drug people take at clubs?")
    assert "special K" in joined(replies) and "anesthetic" in joined(replies)
    assert [b["title"] for b in replies[0]["buttons"]] == [
        "Book a consultation",
        "Ask another question",
        "Talk to staff",
    ]


def test_price_question_never_invents_a_figure(assistant: Assistant) -> None:
    reply = joined(assistant.say(new_sender(), "how much does one infusion cost? do you take aetna"))
    assert "staff will confirm" in reply.lower() and "$" not in reply


def test_parse_shows_the_safety_net_and_idioms_pass(assistant: Assistant) -> None:
    flagged = assistant.parse("ive been saving up my pills for when i finally do it")
    assert flagged["intent"]["name"] == "crisis" and flagged["safety_net"]["triggered"]
    idiom = assistant.parse("this back pain is killing me, do you treat chronic pain?")
    assert idiom["intent"]["name"] != "crisis" and not idiom["safety_net"]["triggered"]


def test_booking_from_first_message_to_reference_number(assistant: Assistant) -> None:
    sender = new_sender()
    name = "Robert'); DROP TABLE appointment_requests;--"
    assistant.say(sender, "I'd like to book a consultation")
    assistant.say(sender, name)
    assistant.say(sender, "you can reach me at (203) 555-0147")
    assistant.say(sender, "westport")
    assistant.say(sender, "weekday mornings")
    assistant.say(sender, "skip")
    summary = joined(assistant.say(sender, "yes"))
    assert name in summary and "(203) 555-0147" in summary and "Westport" in summary
    reply = joined(assistant.say(sender, "yes, send it"))
    reference = re.search(r"reference number is (A-[A-Z0-9]{6})", reply).group(1)
    [row] = assistant.rows(
        "select name, phone, office, preferred_times, reason, consent from appointment_requests where reference = :r",
        r=reference,
    )
    assert tuple(row) == (name, "+12035550147", "Westport", "weekday mornings", None, 1)
    again = joined(assistant.say(sender, "yes"))  # a double click on "Yes, send it"
    assert len(assistant.rows("select id from appointment_requests where sender_id = :s", s=sender)) == 1
    assert reference in again or "reference" not in again


def test_booking_with_office_up_front_a_question_mid_form_and_a_typed_correction(assistant: Assistant) -> None:
    sender = new_sender()
    assert "name" in joined(assistant.say(sender, "I'd like to book a consultation at the Westport office"))
    assert "phone number or e-mail" in joined(assistant.say(sender, "Maria Lopez"))
    assert "days and times" in joined(assistant.say(sender, "203 555 0147 or maria@example.com"))
    assert "hoping to get help with" in joined(assistant.say(sender, "tuesdays after 4"))
    answer = joined(assistant.say(sender, "how fast does it work?"))
    assert "within hours" in answer and "hoping to get help with" in answer
    assert "May the clinic" in joined(assistant.say(sender, "depression that hasn't improved with two antidepressants"))
    unclear = joined(assistant.say(sender, "mostly evenings i guess"))
    assert "May the clinic" in unclear and "can't send the request" not in unclear
    summary = joined(assistant.say(sender, "yes"))
    assert (
        "Name: Maria Lopez" in summary
        and "Office: Westport" in summary
        and "Days and times: tuesdays after 4" in summary
    )
    assert "Which days and times" in joined(assistant.say(sender, "actually change the time"))
    assert "Days and times: thursday mornings" in joined(assistant.say(sender, "thursday mornings"))
    assert "reference number is A-" in joined(assistant.say(sender, "yes send it"))
    [row] = assistant.rows(
        "select name, phone, email, office, preferred_times, reason from appointment_requests where sender_id = :s",
        s=sender,
    )
    assert tuple(row) == (
        "Maria Lopez",
        "+12035550147",
        "maria@example.com",
        "Westport",
        "thursday mornings",
        "depression that hasn't improved with two antidepressants",
    )


def test_a_long_conversation_keeps_its_booking_transcript_and_every_event(assistant: Assistant) -> None:
    """Rasa works on the last ten turns (rasa_stores/recent_window.py); nothing said earlier is lost."""
    sender, sent = new_sender(), []

    def say(message: str) -> str:
        sent.append(message)
        return joined(assistant.say(sender, message))

    questions = ["is ketamine addictive?", "what are the side effects", "how fast does it work?", "where are you"]
    for number in range(12):
        assert say(questions[number % 4])
    say("I'd like to book a consultation")
    assert "phone number or e-mail" in say("Avery Quinn")
    for number in range(11):  # the form stays open for longer than the recent turns
        assert "phone number or e-mail" in say(questions[number % 4])
    for answer in ("203 555 0148", "stamford", "weekday mornings", "skip"):
        say(answer)
    summary = say("yes")
    assert "Avery Quinn" in summary and "(203) 555-0148" in summary
    assert "reference number is A-" in say("yes send it")
    assert len(assistant.rows("select id from appointment_requests where sender_id = :s", s=sender)) == 1
    say("I take lithium, is it safe for me to have an infusion?")
    [(transcript,)] = assistant.rows("select transcript from escalations where sender_id = :s", s=sender)
    assert len(json.loads(transcript)) == 20
    # Every message stored once, in order, and read back whole through the tracker API.
    assert [e["text"] for e in assistant.events(sender) if e["event"] == "user"] == sent
    assert [
        text
        for (text,) in assistant.rows(
            "select json_extract(data, '$.text') from events where sender_id = :s and type_name = 'user' order by id",
            s=sender,
        )
    ] == sent


def test_crisis_mid_form_stops_it_gives_resources_and_alerts_staff(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say(sender, "can I book an appointment")
    assistant.say(sender, "Dana Smith")
    reply = joined(assistant.say(sender, "tbh i have my pills saved up and i dont want to be here anymore"))
    assert all(number in reply for number in CRISIS_NUMBERS)
    assert "phone number or e-mail" not in reply  # the form did not carry on
    # What is true: no e-mail, webhook or on-call phone here, and the profile has no opening hours.
    assert "top of the clinic's team's urgent list now, so they know you reached out for help" in reply
    assert "The team will see this when the clinic opens. For help now, call or text 988." in reply
    [row] = assistant.rows("select kind, urgency, question, transcript from escalations where sender_id = :s", s=sender)
    assert row[0:3] == ("crisis", "urgent", "tbh i have my pills saved up and i dont want to be here anymore")
    assert "can I book an appointment" in json.loads(row[3])[0]["text"]
    assert assistant.rows(
        "select o.status from outbox o join escalations e on o.reference = e.reference where e.sender_id = :s", s=sender
    ) == [("held",)]
    followup = joined(assistant.say(sender, "no im fine forget it"))
    assert "988" in followup and "911" in followup


@pytest.mark.parametrize(
    ("message", "emergency", "numbers"),
    [
        ("I had my infusion this morning and now I have chest pain and can't breathe", "medical_emergency", ["911"]),
        ("my brother overdosed", "overdose", ["911", "1-800-222-1222"]),
        ("my husband hit me again and says next time will be worse", "danger_from_others", ["911", "1-800-799-7233"]),
    ],
)
def test_each_kind_of_emergency_gets_its_own_resources_and_an_urgent_alert_of_its_kind(
    assistant: Assistant, message: str, emergency: str, numbers: List[str]
) -> None:
    sender = new_sender()
    first = assistant.say(sender, message)[0]["text"]
    assert all(number in first for number in numbers), first
    if emergency == "medical_emergency":
        assert "988" not in first  # 911 and nothing else first
    [row] = assistant.rows("select kind, urgency, emergency from escalations where sender_id = :s", s=sender)
    assert row == ("crisis", "urgent", emergency)


def test_an_informational_mention_is_answered_and_asked_about_and_only_a_yes_alerts(assistant: Assistant) -> None:
    escalations = "select kind, urgency from escalations where sender_id = :s"
    for answer, alerted in (("yes", True), ("no", False)):
        sender = new_sender()
        first = joined(assistant.say(sender, "can ketamine help with suicidal thoughts?"))
        assert "are you having thoughts of ending your life?" in first and "988" in first
        assert "substance use" not in first.lower()  # no answer rather than a wrong one
        assert assistant.rows(escalations, s=sender) == []
        second = joined(assistant.say(sender, answer))
        assert ("741741" in second) is alerted and "988" in second
        assert assistant.rows(escalations, s=sender) == ([("crisis", "urgent")] if alerted else [])


def test_a_retraction_is_reassessed_and_every_later_reply_keeps_988(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say(sender, "I keep thinking about ending my life")
    retraction = assistant.say(sender, "lol jk, how much does it cost?")
    assert "staff will confirm" in joined(retraction).lower() or "cost" in joined(retraction).lower()
    assert "earlier you told me something that worried me" in joined(retraction)
    assert any(b.get("payload") == "/crisis" for m in retraction for b in m.get("buttons") or [])
    later = joined(assistant.say(sender, "where are your offices?"))
    assert "call or text 988" in later and "earlier you told me" not in later
    stored = [
        text
        for (text,) in assistant.rows(
            "select json_extract(data, '$.text') from events where sender_id = :s and type_name = 'user' order by id",
            s=sender,
        )
    ]
    assert "lol jk, how much does it cost?" in stored  # staff see the retraction in the transcript


def test_medical_question_is_escalated_not_answered(assistant: Assistant) -> None:
    sender = new_sender()
    reply = joined(assistant.say(sender, "I take lithium and lamotrigine, is it safe for me to have ketamine?"))
    assert "clinician" in reply and "can't give personal medical advice" in reply
    done = joined(assistant.say(sender, "text me at 203 555 0199"))
    reference = re.search(r"reference (E-[A-Z0-9]{6})", done).group(1)
    [row] = assistant.rows("select kind, phone, question from escalations where reference = :r", r=reference)
    assert tuple(row) == (
        "medical",
        "+12035550199",
        "I take lithium and lamotrigine, is it safe for me to have ketamine?",
    )


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "x" * 5000,
        "🙂🙂🙂 💊❓",
        "¿El tratamiento con ketamina es seguro para la depresión?",
        "氯胺酮治疗安全吗",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "Robert'); DROP TABLE events;--",
        "' OR 1=1; --",
    ],
)
def test_bad_input_gets_an_answer_and_is_stored_verbatim(assistant: Assistant, message: str) -> None:
    sender = new_sender()
    replies = assistant.say(sender, message)
    assert isinstance(replies, list)
    if message.strip():
        stored = [e["text"] for e in assistant.events(sender) if e["event"] == "user"]
        assert stored == [message]
    assert assistant.rows("select count(*) from events")[0][0] > 0  # nothing was dropped


def test_logs_carry_no_message_text_or_contact_details(assistant: Assistant) -> None:
    sender = new_sender()
    assistant.say(sender, "book an appointment")
    assistant.say(sender, "Quentin Zebraquartz")
    assistant.say(sender, "quentin.zq@example.com 203-555-0177")
    time.sleep(1)
    service_logs = sorted((assistant.workdir / "log").glob("*.log"))  # run.py's, one per server
    assert len(service_logs) == 5
    log = "".join(path.read_text() for path in [assistant.log_path, *service_logs])
    for secret in ("Zebraquartz", "quentin.zq@example.com", "555-0177", "5550177"):
        assert secret not in log


def test_a_port_in_use_is_reported_clearly(assistant: Assistant) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "serve" / "run.py")],
        cwd=ROOT,
        env={**assistant.env, "ACTION_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"Port {assistant.rasa_port}" in result.stderr and "already in use" in result.stderr


def listening_addresses(port: int) -> List[str]:
    """Local addresses (hex, as the kernel lists them) of the sockets listening on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append(address)
    return found


def test_the_action_server_listens_on_loopback_only(assistant: Assistant) -> None:
    # Only the Rasa server calls it; rasa-sdk alone would listen on every interface (0.0.0.0).
    assert listening_addresses(assistant.action_port) == ["0100007F"]  # 127.0.0.1


def rasa_api_routes() -> List[Tuple[str, str, bool]]:
    """(method, path, needs a token) of every route of Rasa's HTTP API, read from the installed Rasa's source."""
    source = (Path(sysconfig.get_paths()["purelib"]) / "rasa" / "server.py").read_text()
    found = re.findall(r'@app\.(get|post|put|delete)\("([^"]+)"\)\n(\s+@requires_auth)?', source)
    return [(method.upper(), re.sub(r"<[^>]+>", "x", path), bool(auth)) for method, path, auth in found]


def test_every_rasa_api_route_but_the_greeting_and_version_takes_the_token_only_in_its_header(
    assistant: Assistant,
) -> None:
    routes = rasa_api_routes()
    assert len(routes) >= 19 and {path for _, path, auth in routes if not auth} == {"/", "/version"}
    refused = (
        ({}, {}),
        ({"token": assistant.token}, {}),  # Rasa's own way: in the URL, which logs keep
        ({"token": assistant.token}, api_headers(assistant.token)),
        ({}, api_headers("wrong")),
        ({}, api_headers(assistant.token + "x")),
        ({}, {"Authorization": f"Bearer {assistant.token}"}),
    )
    for method, path, _ in (route for route in routes if route[2]):
        for params, headers in refused:
            response = requests.request(
                method, assistant.url + path, params=params, headers=headers, json={}, timeout=30
            )
            assert response.status_code == 401, (method, path, params, headers, response.status_code)
    # The right header gets past the check on every route that changes nothing (the others would
    # replace, unload or retrain the model the other tests use):
    for _, path, _ in (route for route in routes if route[2] and route[0] == "GET"):
        answer = requests.get(assistant.url + path, headers=api_headers(assistant.token), timeout=30)
        assert answer.status_code != 401, (path, answer.status_code)
    for path in ("/status", "/conversations/x/tracker", "/domain"):
        answer = requests.get(
            assistant.url + path, headers={**api_headers(assistant.token), "Accept": "application/json"}, timeout=30
        )
        assert answer.status_code == 200, (path, answer.status_code)


def test_the_action_server_answers_only_the_rasa_server(assistant: Assistant) -> None:
    webhook = f"http://127.0.0.1:{assistant.action_port}/webhook"
    call = {
        "next_action": "action_answer_faq",
        "sender_id": "intruder",
        "tracker": {"sender_id": "intruder", "events": []},
        "domain": {},
        "version": "3.6.21",
    }
    for headers in ({}, {"X-Action-Server-Token": "wrong"}, {"X-Action-Server-Token": ACTION_SERVER_TOKEN[:-1]}):
        response = requests.post(webhook, json=call, headers=headers, timeout=30)
        assert response.status_code == 403, (headers, response.status_code)
    assert requests.get(webhook.replace("webhook", "actions"), timeout=30).status_code == 403
    assert requests.get(webhook.replace("webhook", "health"), timeout=30).status_code == 200
    # The token gets a caller past the check (to rasa-sdk's own answer), and Rasa itself sends it:
    with_token = requests.post(
        webhook,
        json={**call, "next_action": "no_such_action"},
        headers={"X-Action-Server-Token": ACTION_SERVER_TOKEN},
        timeout=30,
    )
    assert with_token.status_code == 404
    assert "special K" in joined(assistant.say(new_sender(), "isn't ketamine just a party drug?"))  # a custom action


def test_the_rasa_server_runs_as_two_worker_processes_each_with_the_model(assistant: Assistant) -> None:
    """RASA_WORKERS (2): both workers started and loaded the model, so both cores answer."""
    from scripts.servers import descendants, status_kib

    workers = descendants(assistant.server_pids()["rasa server"])
    assert len(workers) == 2
    for worker in workers:
        resident_mib = status_kib(worker, "VmRSS") // 1024
        assert resident_mib > 400, (worker, resident_mib)
    assert "Traceback" not in assistant.log_text()


def test_ctrl_c_stops_every_server_cleanly(assistant: Assistant) -> None:
    assistant.process.send_signal(signal.SIGINT)
    assert assistant.process.wait(timeout=60) == 0
    for port in (assistant.rasa_port, assistant.action_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0
