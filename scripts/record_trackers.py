"""Record the conversation trackers the action tests load, from the real assistant.

    .venv/bin/python -m scripts.record_trackers [--out tests/data/trackers] [NAME ...]

Starts the assistant as `make run` does (serve/run.py via LocalAssistant: the
trained model in models/, the action server, a temporary SQLite database, free
ports), holds each conversation below over the REST channel, fetches its
tracker from Rasa's HTTP API (GET /conversations/<id>/tracker, every event)
and writes it as JSON to tests/data/trackers/<name>.json. Each conversation
is checked to have reached the point it is recorded for, so a domain or
training change that moves it fails here instead of quietly recording
something else. Run it again (after `make train`) when the domain, the forms
or the training data change, and look at the diff before committing.

The people, phone numbers and messages are made up (555-01xx is reserved for
fiction).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.servers import LocalAssistant  # noqa: E402
from serve.rasa_api import api_headers  # noqa: E402

OUT = ROOT / "tests" / "data" / "trackers"
Tracker = Dict[str, Any]


class Conversation(NamedTuple):
    messages: List[str]
    reached: Callable[[Tracker], bool]
    point: str  # what `reached` checks, for the error when it does not hold


def bot_texts(tracker: Tracker) -> str:
    return "\n".join(e.get("text") or "" for e in tracker["events"] if e["event"] == "bot")


def actions_run(tracker: Tracker) -> List[str]:
    return [e["name"] for e in tracker["events"] if e["event"] == "action"]


CONVERSATIONS: Dict[str, Conversation] = {
    # Name and contact given; the form has just asked which office.
    "mid_booking": Conversation(
        ["I'd like to book a consultation", "Maria Lopez", "you can reach me at (203) 555-0147"],
        lambda t: (
            (t.get("active_loop") or {}).get("name") == "appointment_form"
            and t["slots"].get("requested_slot") == "office"
            and t["slots"].get("name") == "Maria Lopez"
            and t["slots"].get("phone") == "+12035550147"
        ),
        "the appointment form asking for the office, with name and phone filled",
    ),
    # A question, a booking begun, then a crisis message, answered with the crisis resources.
    "post_crisis": Conversation(
        [
            "is ketamine safe?",
            "can I book an appointment",
            "Dana Smith",
            "tbh i have my pills saved up and i dont want to be here anymore",
        ],
        lambda t: (
            "action_escalate_crisis" in actions_run(t)
            and all(number in bot_texts(t) for number in ("988", "911", "741741"))
            and not (t.get("active_loop") or {}).get("name")
            and (t["latest_message"].get("intent") or {}).get("name") == "crisis"
        ),
        "the crisis answered (988, 911, 741741), action_escalate_crisis run and the form stopped",
    ),
}


def record(assistant: LocalAssistant, name: str, conversation: Conversation) -> Tracker:
    sender = f"recorded-{name.replace('_', '-')}"
    http = requests.Session()
    for message in conversation.messages:
        response = http.post(assistant.rest_url, json={"sender": sender, "message": message}, timeout=120)
        response.raise_for_status()
    response = http.get(
        f"{assistant.url}/conversations/{sender}/tracker",
        params={"include_events": "ALL"},
        headers=api_headers(assistant.token),
        timeout=60,
    )
    response.raise_for_status()
    tracker = response.json()
    if not conversation.reached(tracker):
        raise SystemExit(
            f"{name}: the conversation did not reach {conversation.point}; what the assistant said:\n"
            + bot_texts(tracker)
        )
    return tracker


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"which to record: {', '.join(CONVERSATIONS)} (all)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    names = args.names or list(CONVERSATIONS)
    unknown = sorted(set(names) - set(CONVERSATIONS))
    if unknown:
        parser.error(f"no conversation named {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="record-trackers-") as workdir:
        assistant = LocalAssistant(Path(workdir))
        try:
            assistant.wait_until_up()
            for name in names:
                tracker = record(assistant, name, CONVERSATIONS[name])
                path = args.out / f"{name}.json"
                path.write_text(json.dumps(tracker, indent=2, ensure_ascii=False) + "\n")
                print(f"{path}: {len(tracker['events'])} events")
        finally:
            assistant.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
