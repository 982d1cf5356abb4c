"""Finish what failed while the action server was down: a booking, an escalation, a crisis alert.

When one of those actions cannot reach the action server, Rasa itself tells
the person it is kept (``utter_action_failed_pending``, from
``components/action_failure_policy.py``). What they gave us is still in the
conversation's slots. Each round, the outbox worker calls ``Recovery.resume``:
it finds conversations with that promise in the last ``RECOVERY_HOURS``
(24), picks the actions that failed and have not worked since, and, once the
action server answers its health check, asks Rasa to run each again through
its HTTP API (``POST /conversations/<id>/execute``), on any instance. The
actions store a record once per idempotency key, so a repeat is harmless, and
the confirmation goes to the person's channel where it can push (socket.io,
SMS, Messenger, Telegram).
"""

from __future__ import annotations

import logging
import time
from typing import Dict, List, Optional, Sequence, Set, Tuple
from urllib.parse import quote

import requests
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

import settings
from serve.rasa_api import api_headers

logger = logging.getLogger(__name__)

PENDING_RESPONSE = "utter_action_failed_pending"
# What a working action leaves right after it: a message or a slot.
SUCCESS_EVENTS = ("bot", "slot")


def failed_actions(rows: Sequence[Tuple[str, Optional[str]]]) -> List[str]:
    """Actions that failed with the promise and have not worked since; ``rows`` are (type, action) in order."""
    pending: List[str] = []
    for index, (type_name, name) in enumerate(rows):
        if type_name != "action" or name in (None, PENDING_RESPONSE):
            continue
        following = rows[index + 1] if index + 1 < len(rows) else None
        if following == ("action", PENDING_RESPONSE) and name not in pending:
            pending.append(name)
        elif following is not None and following[0] in SUCCESS_EVENTS and name in pending:
            pending.remove(name)
    return pending


class Recovery:
    """Watches Rasa's ``events`` table for the promise and finds what is still to be done.

    The first round reads the last ``RECOVERY_HOURS``; later rounds read only rows
    added since, by primary key, so a large table is not scanned every few seconds.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.http = requests.Session()  # kept between rounds: connections to Rasa are reused
        self.last_id: Optional[int] = None
        self.watched: Set[str] = set()

    def pending(self) -> Dict[str, List[str]]:
        """Conversation id to the actions to run again; conversations with none are no longer watched."""
        if not inspect(self.engine).has_table("events"):
            return {}
        since = time.time() - settings.get().RECOVERY_HOURS * 3600
        found = {}
        with self.engine.connect() as connection:
            newest = connection.execute(text("select max(id) from events")).scalar() or 0
            where = "timestamp >= :since" if self.last_id is None else "id > :last"
            self.watched.update(
                connection.execute(
                    text(
                        f"select distinct sender_id from events where {where} and id <= :newest "
                        "and type_name = 'action' and action_name = :name"
                    ),
                    {"since": since, "last": self.last_id, "newest": newest, "name": PENDING_RESPONSE},
                ).scalars()
            )
            self.last_id = newest
            for sender in list(self.watched):
                rows = connection.execute(
                    text(
                        "select type_name, action_name from events where sender_id = :sender "
                        "and timestamp >= :since order by id"
                    ),
                    {"sender": sender, "since": since},
                ).all()
                actions = failed_actions([tuple(row) for row in rows])
                if actions:
                    found[sender] = actions
                else:
                    self.watched.discard(sender)
        return found

    def resume(self) -> int:
        """Run again every pending action, if the action server is up; how many Rasa accepted."""
        pending = self.pending()
        if not pending or not action_server_up(self.http):
            return 0
        config = settings.get()
        rasa_url = config.RASA_URL or f"http://127.0.0.1:{config.RASA_PORT}"
        token = config.RASA_API_TOKEN or ""
        done = 0
        for sender, actions in pending.items():
            for action in actions:
                try:
                    reply = self.http.post(
                        f"{rasa_url}/conversations/{quote(sender, safe='')}/execute",
                        params={"output_channel": "latest"},
                        headers=api_headers(token),
                        json={"name": action},
                        timeout=60,
                    )
                except requests.RequestException as error:
                    logger.warning("could not resume %s for a conversation: %s", action, error)
                    continue
                if reply.ok:
                    done += 1
                    logger.info("resumed %s after an action server outage", action)
                else:
                    logger.warning("Rasa refused to resume %s: HTTP %s", action, reply.status_code)
        return done


def action_server_up(session: requests.Session) -> bool:
    health = settings.get().ACTION_SERVER_URL.rsplit("/", 1)[0] + "/health"
    try:
        return session.get(health, timeout=5).ok
    except requests.RequestException:
        return False
