"""Hostile input against one running assistant: oversized bodies, thousands of fuzzed bodies, memory.

One `serve/run.py` (LocalAssistant) for the whole module. Oversized bodies
are sent by hand over a socket with the body left unfinished, so a 413 proves
the server refused them without reading them. Hypothesis then sends malformed,
random and hostile bodies to the REST webhook and to the socket.io channel
(as events from a real socket.io client, and as raw engine.io frames over a
websocket): every answer is a reply or a clear 4xx, the server stays up, a
normal message still gets a reply, nothing unhandled reaches the server's log,
and the Rasa server's memory after it all is within a generous bound of where
it was after a warm-up. The last test prints how many bodies of each kind were
tried. Runs are reproducible (derandomize) and take about 3 minutes.
"""

from __future__ import annotations

import asyncio
import json
import queue
import re
import string
import uuid
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import aiohttp
import pytest
import requests
import socketio
from hypothesis import HealthCheck, given, settings, strategies as st

from channels.validation import MAX_MESSAGE_LENGTH
from scripts.servers import LocalAssistant
from settings import MAX_REQUEST_BYTES
from tests.chat import say
from tests.raw_http import chunked_head, chunks_past, content_length_head, raw_request

LIMIT = MAX_REQUEST_BYTES  # the default the assistant runs with
MEMORY_GROWTH_BOUND_MIB = 150
TRIED: Counter = Counter()  # bodies sent, by kind: the figures the last test prints
SIO_PATH = "/socket.io/?EIO=4&transport="


# --- the assistant and ways to reach it ----------------------------------------------------------


class Assistant(LocalAssistant):
    """The running servers, a keep-alive HTTP session to the Rasa server, and where its log stood."""

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.http = requests.Session()
        self.rss_after_warm_up = 0
        self.log_mark = 0

    def alive(self) -> bool:
        return requests.get(self.url + "/", timeout=30).status_code == 200

    def say(self, sender: str, message: str) -> List[Dict[str, Any]]:
        return say(self.url, sender, message, http=self.http)

    def rasa_rss_mib(self) -> int:
        return self.memory_mib("VmRSS")["rasa server"]

    def new_log_errors(self) -> List[str]:
        """Tracebacks and ERROR lines the servers logged since the last call.

        Sanic 21.12 leaves its frame reader's task pending when a websocket is closed for a
        too-big message (the test above does that); asyncio reports it whenever the task is
        garbage-collected. That one line is Sanic's, harmless, and not counted.
        """
        text = self.log_text()
        new, self.log_mark = text[self.log_mark :], len(text)
        return [
            line[:300]
            for line in new.splitlines()
            if re.search(r"Traceback|\bERROR\b", line) and "Task was destroyed but it is pending" not in line
        ]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    running = Assistant(tmp_path_factory.mktemp("hostile"))
    try:
        running.wait_until_up()
        for turn in ("hi", "is ketamine safe?", "I'd like to book a consultation", "Dana Smith", "stop"):
            running.say("warm-up", turn)
        with SocketIOVisitor(running.url) as visitor:
            assert visitor.say("what does it treat?")
        running.rss_after_warm_up = running.rasa_rss_mib()
        running.new_log_errors()
        yield running
    finally:
        running.stop()


class SocketIOVisitor:
    """A real socket.io client (python-socketio, long-polling) with a confirmed session, as the widget opens one."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.replies: "queue.Queue[Any]" = queue.Queue()
        self.session_id = ""
        self.issued: Dict[str, str] = {}
        self.client = socketio.Client(reconnection=False, handle_sigint=False)
        self.client.on("bot_uttered", self.replies.put)

    def __enter__(self) -> "SocketIOVisitor":
        return self.resume({"session_id": uuid.uuid4().hex})

    def resume(self, request: Dict[str, Any]) -> "SocketIOVisitor":
        """Connect and ask for a session with ``request``; the server's answer is kept as issued."""
        confirmed: "queue.Queue[Dict[str, str]]" = queue.Queue()
        self.client.on("session_confirm", confirmed.put)
        self.client.connect(self.url, transports=["websocket"], wait_timeout=30)
        self.client.emit("session_request", request)
        self.issued = confirmed.get(timeout=30)
        self.session_id = self.issued["session_id"]
        return self

    def __exit__(self, *_: Any) -> None:
        # Close the engine.io session without waiting for the long-poll in flight (up to 25 s).
        self.client.eio.disconnect(abort=True)

    def say(self, message: str) -> List[Any]:
        """A normal message; the replies to it (after any turns still running for this session)."""
        self.client.emit("user_uttered", {"message": message, "session_id": self.session_id})
        replies = [self.replies.get(timeout=180)]
        while True:
            try:
                replies.append(self.replies.get(timeout=2))
            except queue.Empty:
                return replies


def engineio_session(url: str) -> str:
    """Open an engine.io session over long-polling and join the default namespace; its sid.

    One kept-alive connection: each Rasa worker process knows only its own sessions.
    """
    with requests.Session() as http:
        opened = http.get(url + SIO_PATH + "polling", timeout=30)
        handshake = json.loads(opened.text[1:])
        assert handshake["maxPayload"] == LIMIT  # engine.io's own limit is the server's (channels/socketio.py)
        sid = handshake["sid"]
        assert http.post(f"{url}{SIO_PATH}polling&sid={sid}", data="40", timeout=30).status_code == 200
    return sid


# --- oversized bodies: refused before they are read ----------------------------------------------


def test_a_body_declared_too_large_is_refused_before_it_is_sent(assistant: Assistant) -> None:
    status = raw_request(assistant.rasa_port, content_length_head("/webhooks/rest/webhook", 10 * LIMIT), [b"{" * 1024])
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    assert assistant.alive() and assistant.say("after-413", "hi")


def test_a_chunked_body_is_refused_once_it_passes_the_limit(assistant: Assistant) -> None:
    status = raw_request(assistant.rasa_port, chunked_head("/webhooks/rest/webhook"), chunks_past(LIMIT))
    assert status == "HTTP/1.1 413 Request Entity Too Large"
    assert assistant.alive() and assistant.say("after-chunked-413", "hi")


def test_a_body_just_under_the_limit_is_still_read(assistant: Assistant) -> None:
    # Metadata makes up the size: the message stays short, so the answer is a normal one.
    padding = "p" * (LIMIT - 200)
    response = assistant.http.post(
        assistant.rest_url, timeout=60, json={"sender": "just-under", "message": "hi", "metadata": {"padding": padding}}
    )
    assert response.status_code == 200 and response.json()


def test_an_oversized_socketio_message_is_refused_and_the_channel_stays_up(assistant: Assistant) -> None:
    sid = engineio_session(assistant.url)
    path = f"/socket.io/?EIO=4&transport=polling&sid={sid}"
    status = raw_request(assistant.rasa_port, content_length_head(path, 2 * LIMIT), [b'42["user_uttered",{"message":"'])
    assert status == "HTTP/1.1 413 Request Entity Too Large"

    async def oversized_websocket_message() -> Optional[int]:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(assistant.url.replace("http", "ws") + SIO_PATH + "websocket") as ws:
                await ws.receive(timeout=30)  # engine.io "open"
                await ws.send_str("40")
                await ws.receive(timeout=30)  # socket.io "connect"
                await ws.send_str('42["user_uttered",{"message":"' + "y" * LIMIT + '"}]')
                closing = await ws.receive(timeout=60)
                assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
                return ws.close_code

    assert asyncio.run(oversized_websocket_message()) == 1009  # "message too big", from the websocket layer
    with SocketIOVisitor(assistant.url) as visitor:
        assert "ketamine" in json.dumps(visitor.say("hi")).lower()


# --- REST webhook fuzzing ------------------------------------------------------------------------

Body = Tuple[bytes, Optional[str]]  # the bytes sent and the Content-Type header (None: no header)
Check = Callable[[requests.Response, Any], None]

# Values every JSON parser takes: no NaN or Infinity, integers within 64 bits.
INTEGERS = st.integers(-(2**63), 2**63 - 1)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
JSON_SCALARS = st.none() | st.booleans() | INTEGERS | FLOATS | st.text(max_size=30)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "Robert'); DROP TABLE events;--",
    "' OR 1=1; --",
    "1; SELECT * FROM appointment_requests",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "${jndi:ldap://example.com/a}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "\u202egnp.exe",
    "\u200b\u200c\u200d\ufeff",
    "مرحبا، هل الكيتامين آمن؟",
    "האם קטמין בטוח?",
    "氯胺酮治疗安全吗",
    "🙂" * 40,
    "Z\u0335\u0321\u0322a\u0337\u0327lgo",
    "\r\n\r\nHTTP/1.1 200 OK\r\n",
    '/request_appointment{"name": "<b>x</b>"}',
    "/greet@2.5",
    "/no_such_intent",
    "\t\n \x0b\x0c",
]
# No NUL and no lone surrogate: text every channel must answer (those two get a 400, see below).
PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    PLAIN_TEXT,
    st.lists(st.sampled_from(HOSTILE) | PLAIN_TEXT, min_size=2, max_size=5).map(" ".join),
)
SENDERS = st.sampled_from([f"fuzz-{n}" for n in range(12)]) | st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(str.strip)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/json; charset=latin-1",
        "image/png",
        "application/json;;;=x",
    ]
)


def json_body(value: Any, content_type: Optional[str] = "application/json") -> Body:
    return json.dumps(value).encode(), content_type


def reply_or_refusal(response: requests.Response, _sent: Any) -> None:
    """A reply, or a clear 4xx refusal: never a server error."""
    assert response.status_code == 200 or 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code == 200:
        assert isinstance(response.json(), list)


def refusal(response: requests.Response, _sent: Any) -> None:
    """A 400 that says what was wrong."""
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.json()["message"]


def reply_to_sender(response: requests.Response, sent: Dict[str, Any]) -> None:
    """A 200 with at least one message, addressed to whoever sent it."""
    assert response.status_code == 200, (response.status_code, response.text[:300])
    replies = response.json()
    assert replies and all(reply["recipient_id"] == sent["sender"] for reply in replies), replies


def valid_message(
    sender: str, message: str, extra: Dict[str, Any], metadata: Optional[Dict[str, Any]]
) -> Dict[str, Any]:
    body = {**extra, "sender": sender, "message": message}
    if metadata is not None:
        body["metadata"] = metadata
    return body


def nested(depth: int) -> str:
    """JSON text of objects and lists nested ``depth`` deep (built as text: json.dumps stops near 1,000)."""
    openers = ['{"k":' if level % 2 else "[" for level in range(depth)]
    closers = ["}" if level % 2 else "]" for level in reversed(range(depth))]
    return "".join(openers) + '"bottom"' + "".join(closers)


def deeply_nested_metadata(depth: int) -> Body:
    text = f'{{"sender": "fuzz-4", "message": "is ketamine addictive?", "metadata": {{"deep": {nested(depth)}}}}}'
    return text.encode(), "application/json"


def invalid_json(text: str, cut: float) -> bytes:
    """A proper prefix of a JSON object, or text that does not start like JSON: never valid JSON."""
    encoded = json.dumps({"sender": "s", "message": text}).encode()
    return encoded[: int(len(encoded) * cut)]


NOT_A_STRING = st.one_of(
    st.none(),
    st.booleans(),
    INTEGERS,
    FLOATS,
    st.lists(JSON_VALUES, max_size=3),
    st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=3),
)
REST_KINDS: Dict[str, Tuple[Any, Check, int]] = {
    # kind: (strategy of (body, what was sent), the property every answer must have, examples)
    "random bytes": (st.tuples(st.tuples(st.binary(max_size=3000), CONTENT_TYPES), st.none()), reply_or_refusal, 400),
    "invalid JSON": (
        st.builds(invalid_json, st.text(max_size=100), st.floats(0, 0.99)).map(
            lambda raw: ((raw, "application/json"), None)
        ),
        refusal,
        250,
    ),
    "JSON of another shape": (
        JSON_VALUES.filter(lambda value: not isinstance(value, dict)).map(lambda value: (json_body(value), value)),
        refusal,
        250,
    ),
    "fields of wrong types": (
        st.one_of(
            st.builds(lambda sender, message: {"sender": sender, "message": message}, SENDERS, NOT_A_STRING),
            st.builds(lambda sender: {"sender": sender, "message": "hi"}, NOT_A_STRING),
            st.builds(
                lambda metadata: {"sender": "fuzz-0", "message": "hi", "metadata": metadata},
                st.one_of(st.lists(JSON_VALUES, max_size=3), INTEGERS, st.booleans(), st.text(max_size=20)),
            ),
        ).map(lambda value: (json_body(value), value)),
        refusal,
        300,
    ),
    "missing and extra fields": (
        st.dictionaries(
            st.sampled_from(["sender", "message", "metadata", "input_channel", "stream", "parse_data", "__proto__"])
            | st.text(max_size=10),
            JSON_VALUES,
            max_size=6,
        ).map(lambda value: (json_body(value), value)),
        reply_or_refusal,
        250,
    ),
    "hostile text": (
        st.builds(
            valid_message,
            SENDERS,
            HOSTILE_TEXT,
            st.dictionaries(
                st.sampled_from(["input_channel", "extra", "token", "message_id"]), JSON_VALUES, max_size=2
            ),
            st.none() | st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3),
        ).map(lambda value: (json_body(value), value)),
        reply_to_sender,
        250,
    ),
    "NUL and unpaired surrogates": (
        st.builds(
            lambda text, bad, at: {"sender": "fuzz-1", "message": text[:at] + bad + text[at:]},
            PLAIN_TEXT,
            st.sampled_from(["\x00", "\ud800", "\udfff", "\ud83d"]),
            st.integers(0, 200),
        ).map(lambda value: (json_body(value), value)),
        refusal,
        150,
    ),
    "huge strings": (
        st.one_of(
            st.builds(
                lambda n: {"sender": "fuzz-2", "message": ("ketamine? " * (n // 10 + 1))[:n]},
                st.integers(MAX_MESSAGE_LENGTH // 2, MAX_MESSAGE_LENGTH),
            ),
            st.builds(
                lambda n: {"sender": "fuzz-3", "message": "x" * n}, st.integers(MAX_MESSAGE_LENGTH + 1, LIMIT // 2)
            ),
            st.builds(lambda n: {"sender": "s" * n, "message": "hi"}, st.integers(256, 20_000)),
        ).map(lambda value: (json_body(value), value)),
        reply_or_refusal,
        40,
    ),
    "deep nesting": (
        st.integers(1, 3000).map(lambda depth: (deeply_nested_metadata(depth), None)),
        reply_or_refusal,
        60,
    ),
    "wrong content types": (
        st.one_of(
            st.builds(
                lambda sender, text, content_type: (
                    json_body(valid_message(sender, text, {}, None), content_type),
                    None,
                ),
                SENDERS,
                HOSTILE_TEXT,
                CONTENT_TYPES,
            ),
            st.builds(
                lambda text: ((f"sender=fuzz-5&message={text}".encode(), "application/x-www-form-urlencoded"), None),
                PLAIN_TEXT,
            ),
        ),
        reply_or_refusal,
        120,
    ),
}


def fuzz(strategy: Any, examples: int, check: Callable[[Any], None]) -> None:
    """Run ``check`` on ``examples`` values of ``strategy``: the same ones on every run."""

    @settings(
        max_examples=examples, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def run(value: Any) -> None:
        check(value)

    run()


@pytest.mark.parametrize("kind", list(REST_KINDS))
def test_rest_webhook_answers_every_body_with_a_reply_or_a_clear_refusal(assistant: Assistant, kind: str) -> None:
    strategy, answer_has_property, examples = REST_KINDS[kind]

    def send(example: Tuple[Body, Any]) -> None:
        (raw, content_type), sent = example
        headers = {"Content-Type": content_type} if content_type is not None else {}
        TRIED[f"REST: {kind}"] += 1
        response = assistant.http.post(assistant.rest_url, data=raw, headers=headers, timeout=120)
        answer_has_property(response, sent)

    fuzz(strategy, examples, send)
    assert assistant.alive() and assistant.say(f"after-{kind}", "hi")
    assert assistant.new_log_errors() == []


def test_rest_bodies_above_the_limit_are_refused_whatever_their_size(assistant: Assistant) -> None:
    def send(size: int) -> None:
        TRIED["REST: above the size limit"] += 1
        status = raw_request(assistant.rasa_port, content_length_head("/webhooks/rest/webhook", size), [b"{" * 512])
        assert status == "HTTP/1.1 413 Request Entity Too Large"

    fuzz(st.integers(LIMIT + 1, 100 * LIMIT), 30, send)
    assert assistant.alive()


# --- socket.io fuzzing --------------------------------------------------------------------------


def socketio_payloads(session_id: str) -> Any:
    """Arguments of a `user_uttered` event: malformed, random, and well-formed with hostile text."""
    session_ids = st.one_of(st.just(session_id), NOT_A_STRING, st.text(max_size=80), st.just("x" * 5000))
    return st.one_of(
        st.lists(JSON_VALUES, max_size=3).map(tuple),  # any arguments at all, or none
        st.builds(lambda message, sid: ({"message": message, "session_id": sid},), NOT_A_STRING, session_ids),
        st.builds(lambda message, sid: ({"message": message, "session_id": sid},), HOSTILE_TEXT, session_ids),
        st.builds(
            lambda message, metadata: ({"message": message, "session_id": session_id, "metadata": metadata},),
            HOSTILE_TEXT,
            JSON_VALUES | st.text(max_size=30),
        ),
        # Over the length cap, but small enough that the client's batched POSTs stay under the body limit.
        st.builds(
            lambda n: ({"message": "z" * n, "session_id": session_id},),
            st.integers(MAX_MESSAGE_LENGTH + 1, 3 * MAX_MESSAGE_LENGTH),
        ),
        st.builds(
            lambda text, bad: ({"message": text + bad, "session_id": session_id},),
            PLAIN_TEXT,
            st.sampled_from(["\x00", "\ud800"]),
        ),
        st.integers(1, 900).map(
            lambda depth: (  # the client's json.dumps stops near 1,000
                {"message": "hi", "session_id": session_id, "metadata": json.loads(nested(depth))},
            )
        ),
    )


def test_socketio_channel_survives_malformed_user_uttered_events(assistant: Assistant) -> None:
    with SocketIOVisitor(assistant.url) as visitor:

        def emit(arguments: Tuple[Any, ...]) -> None:
            TRIED["socket.io: user_uttered events"] += 1
            visitor.client.emit("user_uttered", arguments)  # a tuple: its items are the event's arguments
            assert assistant.alive()

        fuzz(socketio_payloads(visitor.session_id), 400, emit)
        assert visitor.client.connected
        assert "ketamine" in json.dumps(visitor.say("what is ketamine?")).lower()
    assert assistant.new_log_errors() == []


ENGINEIO_FRAMES = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200),
    st.builds(lambda kind, rest: kind + rest, st.sampled_from(list(string.digits)), st.text(max_size=100)),
    st.builds(
        lambda kind, event, payload: kind + json.dumps([event, payload]),
        st.sampled_from(["42", "43", "4", "40", "41", "42/other,", "45-", "2", "6"]),
        st.sampled_from(["user_uttered", "session_request", "connect", "disconnect"]) | st.text(max_size=10),
        JSON_VALUES,
    ),
)


def test_raw_engineio_frames_over_a_websocket_do_not_bring_it_down(assistant: Assistant) -> None:
    ws_url = assistant.url.replace("http", "ws") + SIO_PATH + "websocket"

    async def send(frames: List[Any]) -> None:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(ws_url) as ws:
                await ws.receive(timeout=30)  # engine.io "open"
                try:
                    for frame in frames:
                        await (ws.send_bytes(frame) if isinstance(frame, bytes) else ws.send_str(frame))
                except ConnectionResetError:
                    TRIED["socket.io: websockets the server closed on a bad frame"] += 1

    def run(frames: List[Any]) -> None:
        TRIED["socket.io: raw engine.io frames"] += len(frames)
        asyncio.run(send(frames))
        assert assistant.alive()

    fuzz(st.lists(ENGINEIO_FRAMES, min_size=1, max_size=8), 150, run)
    with SocketIOVisitor(assistant.url) as visitor:
        assert "ketamine" in json.dumps(visitor.say("is ketamine safe?")).lower()


# --- memory, and the figures ---------------------------------------------------------------------


def test_memory_does_not_grow_without_bound_and_the_figures(
    assistant: Assistant, capsys: pytest.CaptureFixture
) -> None:
    after = assistant.rasa_rss_mib()
    with capsys.disabled():
        print(f"\nHostile input, {sum(TRIED.values())} bodies and frames in all:")
        for kind, count in TRIED.items():
            print(f"  {kind}: {count}")
        print(
            f"Rasa server resident memory: {assistant.rss_after_warm_up} MiB after the warm-up, {after} MiB after "
            f"the fuzzing (peak {assistant.peak_memory_mib()['rasa server']} MiB)"
        )
    assert after - assistant.rss_after_warm_up < MEMORY_GROWTH_BOUND_MIB


# --- one conversation per browser ---------------------------------------------------------------


def test_a_client_that_presents_someone_elses_session_id_gets_a_new_empty_conversation(assistant: Assistant) -> None:
    with SocketIOVisitor(assistant.url) as patient:
        assert "ketamine" in json.dumps(patient.say("what is ketamine?")).lower()
        for stolen in (
            {"session_id": patient.session_id},  # the id alone, as seen in a log or a console URL
            {"session_id": patient.session_id, "signature": "0" * 64},
            {"session_id": patient.session_id, "signature": patient.issued["signature"][:-1] + "0"},
        ):
            intruder = SocketIOVisitor(assistant.url).resume(stolen)
            try:
                assert intruder.session_id != patient.session_id
                intruder.say("hi")  # answered in its own conversation
            finally:
                intruder.__exit__()
        with pytest.raises(queue.Empty):
            patient.replies.get(timeout=3)  # nothing of the intruders' reached the patient


def test_a_socket_cannot_write_into_another_conversation_by_naming_it(assistant: Assistant) -> None:
    with SocketIOVisitor(assistant.url) as patient, SocketIOVisitor(assistant.url) as intruder:
        intruder.client.emit("user_uttered", {"message": "cancel my appointment", "session_id": patient.session_id})
        with pytest.raises(queue.Empty):
            patient.replies.get(timeout=5)
        with pytest.raises(queue.Empty):
            intruder.replies.get(timeout=1)
        assert "ketamine" in json.dumps(intruder.say("what is ketamine?")).lower()  # its own still works


def test_the_browser_that_was_issued_a_session_resumes_it_with_its_signature(assistant: Assistant) -> None:
    with SocketIOVisitor(assistant.url) as first:
        first.say("what is ketamine?")
        issued = first.issued
    again = SocketIOVisitor(assistant.url).resume(issued)
    try:
        assert again.session_id == issued["session_id"] and again.issued["signature"] == issued["signature"]
        assert again.say("how much does it cost?")
    finally:
        again.__exit__()


# --- which web pages may chat -------------------------------------------------------------------


def socketio_handshake(assistant: Assistant, origin: str) -> requests.Response:
    return requests.get(assistant.url + SIO_PATH + "polling", headers={"Origin": origin}, timeout=30)


def test_socketio_refuses_browsers_on_other_origins_and_look_alikes_of_the_allowed_one(assistant: Assistant) -> None:
    allowed = f"http://127.0.0.1:{assistant.widget_port}"
    assert socketio_handshake(assistant, allowed).status_code == 200
    for other in (
        "https://evil.example",
        f"{allowed}.evil.example",
        f"{allowed}0",
        "null",
        allowed.replace("http", "https"),
    ):
        assert socketio_handshake(assistant, other).status_code == 400, other


def test_the_rest_webhook_lets_only_the_allowed_origins_read_its_answers(assistant: Assistant) -> None:
    allowed = f"http://127.0.0.1:{assistant.widget_port}"
    for origin, expected in ((allowed, allowed), ("https://evil.example", None), (f"{allowed}.evil.example", None)):
        preflight = requests.options(
            assistant.url + "/webhooks/rest/webhook",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=30,
        )
        assert preflight.headers.get("Access-Control-Allow-Origin") == expected, origin
