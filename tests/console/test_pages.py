"""The pages staff work in: queues, conversations, transcripts, insight, export; what each records."""

from __future__ import annotations

import csv
import io
import time
from datetime import timedelta

from sqlalchemy import select, update

from records.models import AppointmentRequest, Escalation, OutboxMessage, utcnow
from records.store import Store
from tests.console.conftest import Staff, audits, bot_says, escalate, user_says, write_conversation
from tests.records.appointments import DETAILS

HOSTILE = "<script>alert('pwned')</script> '; DROP TABLE events;--"


def test_queues_put_crises_first_with_their_wait_then_medical_then_appointments(
    alice: Staff, console_store: Store
) -> None:
    appointment = console_store.submit_appointment("v-appt", "socketio", DETAILS).reference
    medical = escalate(console_store, "v-med", "medical", "Can I take ketamine with lithium?", minutes_ago=200)
    older_crisis = escalate(console_store, "v-c1", "crisis", "I can't go on", minutes_ago=75)
    newer_crisis = escalate(console_store, "v-c2", "crisis", "I want to end my life", minutes_ago=2)
    page = alice.get_page("/queues").text
    order = [page.index(reference) for reference in (older_crisis, newer_crisis, medical, appointment)]
    assert order == sorted(order)
    assert "waiting 1 h 15 min" in page and "waiting 2 min" in page and "waiting 3 h 20 min" in page
    assert "Maria Lopez" in page and "Westport · weekday mornings" in page
    assert 'href="tel:+12035550147">(203) 555-0147</a>' in page
    assert "<title>(2 urgent) Queues" in page
    partial = alice.get_page("/queues?partial=1").text  # what the page fetches every 5 s
    assert newer_crisis in partial and "<html" not in partial


def test_a_crisis_is_labelled_for_staff_in_plain_words(alice: Staff, console_store: Store) -> None:
    for kind in ("suicide", "overdose", "danger_from_others"):
        reference = escalate(console_store, f"v-{kind}", "crisis", "I need help")
        with console_store.session() as session:
            session.execute(update(Escalation).where(Escalation.reference == reference).values(emergency=kind))
    page = alice.get_page("/queues").text
    for label in ("Risk of suicide or self-harm", "Possible overdose", "In danger from another person"):
        assert f'<span class="badge emergency">{label}</span>' in page
    assert ">suicide<" not in page.lower()


def test_staff_see_which_language_to_answer_in_on_queues_conversations_and_transcripts(
    alice: Staff, console_store: Store
) -> None:
    spanish = escalate(console_store, "v-es", "medical", "¿Puedo tomar litio con la ketamina?", language="es")
    english = escalate(console_store, "v-en", "medical", "Can I take lithium with ketamine?")
    queues = alice.get_page("/queues").text
    badge = '<span class="badge language" title="The visitor wrote in Spanish: answer in Spanish">Spanish</span>'
    assert queues.count(badge) == 1 and queues.index(spanish) < queues.index(badge) < queues.index(english)
    now = time.time()
    write_conversation(
        console_store.engine,
        "v-es",
        [
            user_says("hola, ¿cuánto cuesta?", "cost_insurance", 0.9, now - 30),
            ("slot", {"event": "slot", "timestamp": now - 30, "name": "language", "value": "es"}),
            bot_says("Nuestro personal le confirmará los precios.", now - 29),
        ],
    )
    write_conversation(console_store.engine, "v-en", [user_says("how much is it?", "cost_insurance", 0.9, now - 20)])
    rows = alice.get_page("/conversations").text
    assert "<th>Language</th>" in rows
    # Most recent first; each row gives the channel, then the language, then the first message.
    assert rows.index("<td>English</td>") < rows.index("how much is it?") < rows.index("<td>Spanish</td>")
    transcript = alice.get_page("/transcript?sender=v-es").text
    assert '<li class="language">conversation in Spanish from here</li>' in transcript


def test_working_an_item_records_who_when_and_the_note_and_audits_it(alice: Staff, console_store: Store) -> None:
    reference = escalate(console_store, "v-c", "crisis", "I want to end my life")
    assert alice.submit(f"/items/{reference}/status", status="in_progress", note="Calling now").status_code == 302
    page = alice.get_page("/queues").text
    assert "in progress by alice" in page and "Calling now" in page
    assert (
        alice.submit(f"/items/{reference}/status", status="done", note="Reached her; safe with family").status_code
        == 302
    )
    assert console_store.escalation(reference).status == "done"
    steps = [(c.status, c.changed_by, c.note) for c in console_store.status_changes(reference)]
    assert steps == [("in_progress", "alice", "Calling now"), ("done", "alice", "Reached her; safe with family")]
    page = alice.get_page("/queues").text
    assert reference not in page.split('id="urgent"')[1].split('id="medical"')[0]
    assert reference in page.split('id="done"')[1]
    trail = [(row.username, row.target, row.detail) for row in audits(console_store, "status change")]
    assert trail == [
        ("alice", reference, "in_progress: Calling now"),
        ("alice", reference, "done: Reached her; safe with family"),
    ]


def test_an_unknown_status_or_record_is_refused(alice: Staff, console_store: Store) -> None:
    reference = console_store.submit_appointment("v", "rest", DETAILS).reference
    assert alice.submit(f"/items/{reference}/status", status="deleted").status_code == 400
    assert alice.submit("/items/A-ZZZZZZ/status", status="done").status_code == 404
    assert console_store.appointment(reference).status == "new" and audits(console_store, "status change") == []


def test_undelivered_notifications_are_listed_and_can_be_retried(alice: Staff, console_store: Store) -> None:
    reference = console_store.submit_appointment("v", "rest", DETAILS).reference
    with console_store.session() as session:
        session.add(
            OutboxMessage(
                topic="appointment_request",
                reference=reference,
                urgency="normal",
                target="email",
                payload="{}",
                status="pending",
                attempts=4,
                last_error="SMTPConnectError: refused",
                next_attempt_at=utcnow() + timedelta(minutes=30),
            )
        )
    page = alice.get_page("/queues").text
    assert "SMTPConnectError: refused" in page and "1 notification is shown only here" in page
    [message] = [m for m in console_store.outbox(reference) if m.target == "email"]
    assert alice.submit(f"/outbox/{message.id}/retry").status_code == 302
    [retried] = [m for m in console_store.outbox(reference) if m.target == "email"]
    assert retried.next_attempt_at <= utcnow() and retried.status == "pending"
    assert [row.target for row in audits(console_store, "retry notification")] == [str(message.id)]


def test_conversation_list_shows_time_channel_first_message_and_flags(alice: Staff, console_store: Store) -> None:
    now = time.time()
    write_conversation(
        console_store.engine,
        "crisis-1",
        [
            user_says("I want to end my life", "crisis", 0.98, now - 60, channel="socketio"),
            bot_says("Please call or text 988 now.", now - 59),
        ],
    )
    write_conversation(
        console_store.engine, "book-1", [user_says("Can I book a consultation?", "request_appointment", 0.91, now - 30)]
    )
    write_conversation(
        console_store.engine, "lost-1", [user_says("what's the weather on mars", "nlu_fallback", 0.22, now - 10)]
    )
    console_store.submit_appointment("book-1", "rest", DETAILS)
    page = alice.get_page("/conversations").text
    assert page.index("what&#39;s the weather on mars") < page.index("Can I book") < page.index("I want to end my life")
    assert "socketio" in page and "appointment requested" in page and "fallback" in page
    crisis_only = alice.get_page("/conversations?flag=crisis").text
    assert "I want to end my life" in crisis_only and "Can I book" not in crisis_only
    assert "Can I book" in alice.get_page("/conversations?flag=appointment").text
    by_channel = alice.get_page("/conversations?channel=socketio").text
    assert "I want to end my life" in by_channel and "weather" not in by_channel


def test_search_finds_words_of_any_message_including_quotes_and_accents(alice: Staff, console_store: Store) -> None:
    now = time.time()
    write_conversation(
        console_store.engine,
        "s-1",
        [
            user_says("hello", "greet", 0.9, now - 20),
            user_says('Is it "safe" for my señora?', "myth_safety", 0.8, now - 19),
        ],
    )
    write_conversation(console_store.engine, "s-2", [user_says("100% sure_thing", "affirm", 0.9, now - 10)])
    assert "s-1" in alice.get_page("/conversations?q=" + "SEÑORA".lower()).text
    assert "s-1" in alice.get_page('/conversations?q="safe"').text
    found = alice.get_page("/conversations?q=100%25").text
    assert "100% sure_thing" in found and "hello" not in found
    assert "No conversations match" in alice.get_page("/conversations?q=%25_").text


def test_date_filter_keeps_only_conversations_in_the_range(alice: Staff, console_store: Store) -> None:
    write_conversation(
        console_store.engine, "old-1", [user_says("an old question", "greet", 0.9, time.time() - 40 * 86400)]
    )
    write_conversation(console_store.engine, "new-1", [user_says("a new question", "greet", 0.9, time.time())])
    page = alice.get_page("/conversations?from=" + (utcnow() - timedelta(days=3)).date().isoformat()).text
    assert "a new question" in page and "an old question" not in page


def test_transcript_shows_each_message_with_intent_and_confidence_and_opening_it_is_audited(
    alice: Staff, console_store: Store
) -> None:
    now = time.time()
    write_conversation(
        console_store.engine,
        "t-1",
        [
            user_says("is ketamine safe?", "myth_safety", 0.934, now - 5),
            bot_says("At the clinic it is carefully dosed.", now - 4, buttons=["Book a consultation"]),
        ],
    )
    page = alice.get_page("/transcript?sender=t-1").text
    assert "is ketamine safe?" in page and "myth_safety" in page and "confidence 0.93" in page
    assert "carefully dosed" in page and "Book a consultation" in page
    [opened] = audits(console_store, "open transcript")
    assert (opened.username, opened.target) == ("alice", "t-1")
    assert alice.get_page("/transcript?sender=nobody").status_code == 404


def test_staff_see_which_answer_was_sent_and_where_its_facts_come_from(alice: Staff, console_store: Store) -> None:
    now = time.time()
    asked = user_says("can i drive home after?", "what_to_expect", 0.9, now - 5)
    asked[1]["parse_data"]["response_selector"] = {
        "what_to_expect": {"response": {"intent_response_key": "what_to_expect/driving_home"}}
    }
    sources = [
        "article",
        {"profile": "visit.aftercare"},
        {"public": "FDA label for Ketalar", "url": "https://www.accessdata.fda.gov/label.pdf", "shown_as": "FDA"},
        {"public": "Not a link", "url": "javascript:alert(1)", "shown_as": "x"},
    ]
    metadata = {"utter_action": "utter_what_to_expect/driving_home", "metadata": {"sources": sources}}
    write_conversation(
        console_store.engine, "s-1", [asked, bot_says("Please don't drive.", now - 4, metadata=metadata)]
    )
    page = alice.get_page("/transcript?sender=s-1").text
    assert "answer <b>what_to_expect/driving_home</b>" in page
    assert "<code>utter_what_to_expect/driving_home</code>" in page
    assert "the clinic&#39;s article" in page and "clinic profile: visit.aftercare" in page
    assert '<a href="https://www.accessdata.fda.gov/label.pdf"' in page and "FDA label for Ketalar</a>" in page
    assert "javascript:" not in page and "Not a link" in page


def test_hostile_text_is_shown_as_text_everywhere_and_stored_verbatim(alice: Staff, console_store: Store) -> None:
    write_conversation(console_store.engine, "h-1", [user_says(HOSTILE, "nlu_fallback", 0.1, time.time())])
    escalate(console_store, "h-1", "medical", HOSTILE)
    console_store.submit_appointment("h-1", "rest", {**DETAILS, "name": HOSTILE})
    for path in ("/transcript?sender=h-1", "/conversations", "/queues", "/insight"):
        page = alice.get_page(path).text
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; &#39;; DROP TABLE events;--" in page, path
    with console_store.engine.connect() as connection:
        assert connection.execute(select(AppointmentRequest.name)).scalar_one() == HOSTILE
    assert "events" in alice.get_page("/transcript?sender=h-1").text  # the table is still there


def test_insight_charts_daily_conversations_topics_fallback_rate_and_unanswered(
    alice: Staff, console_store: Store
) -> None:
    now = time.time()
    write_conversation(
        console_store.engine,
        "i-1",
        [
            user_says("is it safe", "myth_safety", 0.9, now - 30),
            user_says("is it addictive", "myth_addiction", 0.9, now - 29),
        ],
    )
    write_conversation(
        console_store.engine,
        "i-2",
        [
            user_says("do you validate parking", "out_of_scope", 0.7, now - 20),
            user_says("is it safe?", "myth_safety", 0.9, now - 19),
        ],
    )
    page = alice.get_page("/insight").text
    assert page.count("<svg") == 3 and "<b>2</b> conversations" in page and "<b>4</b> visitor messages" in page
    assert "25.0%</b> not understood" in page
    assert "myth_safety" in page and "do you validate parking" in page


def test_csv_exports_cover_the_date_range_guard_formulas_and_are_audited(alice: Staff, console_store: Store) -> None:
    fresh = console_store.submit_appointment(
        "x-1", "rest", {**DETAILS, "name": '=HYPERLINK("http://evil","x")'}
    ).reference
    old = console_store.submit_appointment("x-2", "rest", {**DETAILS, "name": "Old Request"}).reference
    with console_store.session() as session:
        session.execute(
            update(AppointmentRequest)
            .where(AppointmentRequest.reference == old)
            .values(created_at=utcnow() - timedelta(days=60))
        )
    write_conversation(console_store.engine, "x-1", [user_says("+1 203 555 0147 call me", "inform", 0.8, time.time())])
    today = utcnow().date()
    start = (today - timedelta(days=7)).isoformat()
    end = (today + timedelta(days=1)).isoformat()
    response = alice.get_page(f"/export/appointments.csv?from={start}&to={end}")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["reference"] for row in rows] == [fresh]
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil","x")'
    messages = list(
        csv.DictReader(io.StringIO(alice.get_page(f"/export/conversations.csv?from={start}&to={end}").text))
    )
    assert [(m["conversation"], m["from"], m["text"], m["intent"]) for m in messages] == [
        ("x-1", "visitor", "'+1 203 555 0147 call me", "inform")
    ]
    assert [row.target for row in audits(console_store, "export")] == ["appointments.csv", "conversations.csv"]
    assert alice.get_page("/export/passwords.csv").status_code == 404


def test_every_page_works_before_rasa_has_stored_any_conversation(alice: Staff) -> None:
    for path in (
        "/queues",
        "/conversations?q=x&flag=crisis",
        "/insight",
        "/export",
        "/export/conversations.csv",
        "/audit",
    ):
        assert alice.get_page(path).status_code == 200, path
    assert "No conversations match" in alice.get_page("/conversations").text
    assert alice.get_page("/transcript?sender=anyone").status_code == 404
