"""The conversation's language after the visitor's latest message.

In order, the first that applies decides:

1. an explicit request in the latest message ("¿habla español?", "English please");
2. a choice the client sent with it (metadata ``{"language": "es"}``: the widget's switch, the
   host page's ``lang``, Telegram's ``language_code``), when it differs from the client's
   previous choice: a client sends its choice with every message, and an unchanged one must not
   undo what the visitor's own writing decided since;
3. the first message of the conversation whose language is clear (languages.detection);
4. a second message in a row clearly in the other language (messages that tell nothing, such as
   "ok" or a button's payload, are skipped; a request or a choice in between starts the count again).

Anything else keeps the current language: a short or unsure message never switches it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional, Sequence

from languages.detection import LANGUAGES, detect

# A request is a short message; a long one that names a language is about something else
# ("is the consent form available in Spanish? my mother ...").
MAX_REQUEST_WORDS = 15

NAMES = {"en": r"(?:english|ingles)", "es": r"(?:spanish|espanol|castellano)"}
OTHER = {"en": "es", "es": "en"}

# Saying you do not speak a language asks for the other one: {L} is the language NOT wanted.
REFUSALS = (
    r"\b(?:i|we) (?:dont|do not|cant|cannot|can not) (?:speak|understand|read|write)"
    r"(?: much| good| any| very good| very well| well)? {L}\b",
    r"\bno (?:hablo|entiendo|leo|escribo|se|puedo (?:hablar|leer)|hablamos|entendemos)"
    r"(?: bien| mucho| nada de)?(?: el| en)? {L}\b",
)
# Asking for a language: {L} is the language wanted.
REQUESTS = (
    r"\b(?:speak|talk|chat|write|text|reply|answer|respond|switch|continue|communicate)"
    r"(?: to me| with me| to us| with us)?(?: to| in)? {L}\b",
    r"\b(?:in )?{L} (?:please|pls|plz|por favor|porfa|porfavor)\b",
    r"\b{L} (?:speaking|speaker)\b",
    r"\b(?:please|por favor) (?:in |en )?{L}\b",
    r"^(?:in |en )?{L}$",
    r"\b(?:i prefer|prefiero)(?: to speak| to talk| hablar| que hablemos)?(?: in| en)? {L}\b",
    r"\b(?:habl|escrib|respond|contest|continu)\w*(?: usted| conmigo)?(?: en)? {L}\b",
    r"\ben {L}\b",
)


def patterns(templates: Sequence[str], language: str) -> List[re.Pattern[str]]:
    return [re.compile(template.replace("{L}", NAMES[language])) for template in templates]


WANTED = {language: patterns(REQUESTS, language) for language in LANGUAGES}
REFUSED = {language: patterns(REFUSALS, language) for language in LANGUAGES}


@dataclass(frozen=True)
class Message:
    """One visitor message: its text and the language its client chose, if it sent one."""

    text: str
    chosen: Optional[str] = None


def normalised(text: str) -> str:
    """Lower case, accents and apostrophes dropped, punctuation as spaces: "¿Habla Español?" -> "habla espanol"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def requested(text: str) -> Optional[str]:
    """The language a message explicitly asks for, or None (also when it asks for both)."""
    plain = normalised(text or "")
    if not plain or len(plain.split()) > MAX_REQUEST_WORDS:
        return None
    refused = {OTHER[language] for language in LANGUAGES if any(p.search(plain) for p in REFUSED[language])}
    wanted = refused or {language for language in LANGUAGES if any(p.search(plain) for p in WANTED[language])}
    return wanted.pop() if len(wanted) == 1 else None


def chosen_language(metadata: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The client's choice in message metadata: "es", "es-MX", "ES_es" -> "es"; anything else None."""
    tag = (metadata or {}).get("language")
    if not isinstance(tag, str):
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES else None


def new_choices(messages: Sequence[Message]) -> List[bool]:
    """For each message, whether it carries a client choice different from the one before it."""
    flags, previous = [], None
    for message in messages:
        flags.append(message.chosen is not None and message.chosen != previous)
        previous = message.chosen or previous
    return flags


def told(message: Message) -> Optional[str]:
    """The language a message's text shows; a button's payload ("/request_appointment") shows none."""
    return None if message.text.lstrip().startswith("/") else detect(message.text)


def decide(current: str, messages: Sequence[Message]) -> str:
    """The language after the last of messages (the conversation's visitor messages, oldest first)."""
    if not messages:
        return current
    latest = messages[-1]
    asked = requested(latest.text)
    if asked:
        return asked
    choices = new_choices(messages)
    if choices[-1]:
        return latest.chosen  # type: ignore[return-value]
    detected = told(latest)
    if detected is None:
        return current
    for message, chose in zip(reversed(messages[:-1]), reversed(choices[:-1])):
        if chose or requested(message.text):
            return current  # a deliberate choice since: this message is the first of a new run
        before = told(message)
        if before is not None:
            return detected if before == detected else current
    return detected  # the first message of the conversation that tells its language
