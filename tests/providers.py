"""Messaging providers' APIs on loopback: real HTTP servers that answer as Twilio, Meta and Telegram do.

Each stand-in records every request it was sent, so a test reads what the assistant (or the
outbox worker's on-call page) put on the wire. The credentials are made up for the tests.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple
from urllib.parse import parse_qs, urlsplit

# What the clinic would put in its environment, made up for the tests.
TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "twilio-auth-token-for-tests"
CLINIC_NUMBER = "+12035550100"
FB_SECRET, FB_PAGE_TOKEN, FB_VERIFY = "meta-app-secret-for-tests", "EAAGpage-token-for-tests", "verify-me-please"
FB_VERSION = "18.0"
TG_TOKEN = "123456789:AAE-telegram-token-for-tests-0123456"
TG_SECRET = "telegram_secret-token-for-tests"


@dataclass
class Received:
    """One request the assistant made to a provider's API."""

    method: str
    path: str
    query: Dict[str, List[str]]
    headers: Dict[str, str]
    body: bytes
    status: int = 0  # what the stand-in answered

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    @property
    def form(self) -> Dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(self.body.decode()).items()}

    @property
    def json(self) -> Any:
        return json.loads(self.body)


Responder = Callable[[Received], Tuple[int, Dict[str, Any]]]


@dataclass
class StandIn:
    """A provider's API on loopback: answers with ``respond`` and keeps every request."""

    respond: Responder
    received: List[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "StandIn":
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Received("POST", url.path, parse_qs(url.query), dict(self.headers.items()), body)
                status, payload = stand_in.respond(request)
                request.status = status
                with stand_in.lock:
                    stand_in.received.append(request)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self

    def since(self, mark: int) -> List[Received]:
        """Every request since ``mark``, answered or refused."""
        with self.lock:
            return self.received[mark:]

    def accepted_since(self, mark: int) -> List[Received]:
        """The requests since ``mark`` the provider would have carried out (right credentials, right place)."""
        return [request for request in self.since(mark) if request.accepted]

    def mark(self) -> int:
        with self.lock:
            return len(self.received)


def answer_like_twilio(request: Received) -> Tuple[int, Dict[str, Any]]:
    """Twilio's Messages API: Basic auth with the account SID and auth token, a form-encoded message."""
    expected = "Basic " + base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
    if request.headers.get("Authorization") != expected:
        return 401, {"code": 20003, "message": "Authenticate", "status": 401}
    if request.path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
        return 404, {"code": 20404, "message": "The requested resource was not found", "status": 404}
    form = request.form
    return 201, {
        "sid": "SM" + uuid.uuid4().hex,
        "account_sid": TWILIO_SID,
        "to": form.get("To"),
        "from": form.get("From"),
        "body": form.get("Body"),
        "status": "queued",
        "num_segments": "1",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
    }


def answer_like_meta(request: Received) -> Tuple[int, Dict[str, Any]]:
    """Meta's Send API: the page access token in the query, a JSON message."""
    if request.query.get("access_token") != [FB_PAGE_TOKEN]:
        return 400, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}
    if request.path != f"/v{FB_VERSION}/me/messages":
        return 404, {"error": {"message": "Unknown path", "code": 803}}
    body = request.json
    reply = {"recipient_id": body["recipient"]["id"]}
    if "message" in body:
        reply["message_id"] = "m_" + uuid.uuid4().hex
    return 200, reply


def answer_like_telegram(request: Received) -> Tuple[int, Dict[str, Any]]:
    """Telegram's Bot API: /bot<token>/<method>, answering {"ok": true, "result": ...}."""
    prefix = f"/bot{TG_TOKEN}/"
    if not request.path.startswith(prefix):
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
    method, form = request.path[len(prefix) :], request.form
    if method == "sendMessage":
        return 200, {
            "ok": True,
            "result": {
                "message_id": len(request.body),
                "date": int(time.time()),
                "text": form["text"],
                "chat": {"id": int(form["chat_id"]), "type": "private"},
                "from": {"id": 123456789, "is_bot": True, "first_name": "Clinic"},
            },
        }
    if method in ("setWebhook", "answerCallbackQuery"):
        return 200, {"ok": True, "result": True}
    return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
