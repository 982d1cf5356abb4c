"""Real visitor questions from public sources, and their split, made once, by source.

The questions in ``tests/nlu/real/questions/`` were asked by real people (other clinics' FAQ
pages, patient forums and Q&A threads, public intent datasets), each kept with the address it
was read at. ``tests/nlu/real/split.yml`` puts every source in one half: ``train`` (training
data may be paraphrased from it) or ``test`` (the frozen real test set: nothing is trained or
tuned on it). A source keeps its half for good; only a source added later is placed, on the
side its questions' intents are scarcer in its own language, so both halves keep every intent
in every language.

Each question has a ``language`` (``en`` unless marked): a collection marks it once at the top,
as a mapping ``{language: es, questions: [...]}``, or a question marks its own.

    .venv/bin/python -m scripts.real_questions    # place new sources, print the halves' sizes
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "nlu" / "real"
QUESTIONS = REAL / "questions"
SPLIT = REAL / "split.yml"
KINDS = ("clinic_faq", "forum", "qa_thread", "news_qa", "intent_dataset", "other")
# Themes real visitors ask about that the assistant has no intent for yet: scored as misses.
NEW_THEMES = ("other_treatments",)
HALVES = ("train", "test")
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Question:
    """One real question, labelled with the answer that fairly answers it."""

    text: str
    source: str
    kind: str
    intent: str
    key: Optional[str] = None
    personal: bool = False
    source_title: str = ""
    language: str = DEFAULT_LANGUAGE

    @property
    def label(self) -> str:
        """The theme, and the finer answer inside it where there is one: ``what_to_expect/driving_home``."""
        return f"{self.intent}/{self.key}" if self.key else self.intent


def _entries(path: Path) -> Iterable[Tuple[dict, str]]:
    """A collection's entries, each with its language: the entry's own, else the collection's."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    language, entries = DEFAULT_LANGUAGE, data
    if isinstance(data, dict):
        language, entries = str(data.get("language") or DEFAULT_LANGUAGE), data.get("questions") or []
    for entry in entries:
        yield entry, str(entry.get("language") or language)


def load_questions(folder: Path = QUESTIONS) -> List[Question]:
    """Every question of every collection, in file order."""
    questions = []
    for path in sorted(folder.glob("*.yml")):
        for entry, language in _entries(path):
            questions.append(
                Question(
                    text=str(entry["text"]),
                    source=str(entry["source"]),
                    kind=str(entry["kind"]),
                    intent=str(entry["intent"]),
                    key=entry.get("key") or None,
                    personal=bool(entry.get("personal", False)),
                    source_title=str(entry.get("source_title") or ""),
                    language=language,
                )
            )
    return questions


def load_split(path: Path = SPLIT) -> Dict[str, str]:
    """Each source's half, as recorded."""
    if not path.exists():
        return {}
    return dict((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources") or {})


def half(
    name: str,
    questions: Optional[List[Question]] = None,
    split: Optional[Dict[str, str]] = None,
    language: Optional[str] = None,
) -> List[Question]:
    """The questions of one half (``train`` or ``test``), of one language if one is named."""
    split = load_split() if split is None else split
    return [
        q
        for q in (load_questions() if questions is None else questions)
        if split.get(q.source) == name and language in (None, q.language)
    ]


def _order(source: str) -> str:
    """A fixed order for placing new sources that depends on nothing but the source itself."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def place(questions: Iterable[Question], split: Dict[str, str]) -> Dict[str, str]:
    """The split with every new source placed; the sources already recorded never move."""
    placed = dict(split)
    counts = {name: Counter() for name in HALVES}
    by_source: Dict[str, List[Question]] = {}
    for question in questions:
        by_source.setdefault(question.source, []).append(question)
    for source, items in by_source.items():
        if source in placed:
            counts[placed[source]].update((q.language, q.intent) for q in items)
    for source in sorted((s for s in by_source if s not in placed), key=_order):
        # A theme counts per language: Spanish questions balance against Spanish ones only.
        intents = Counter((q.language, q.intent) for q in by_source[source])
        # Where this source's intents are scarcer; a tie goes to the test half, so it is never the smaller one.
        scarcity = {name: sum(counts[name][i] * n for i, n in intents.items()) for name in HALVES}
        languages = {language for language, _ in intents}
        size = {name: sum(n for (lang, _), n in counts[name].items() if lang in languages) for name in HALVES}
        chosen = min(HALVES, key=lambda name: (scarcity[name], size[name], name != "test"))
        placed[source] = chosen
        counts[chosen].update(intents)
    return placed


def write_split(split: Dict[str, str], path: Path = SPLIT) -> None:
    header = (
        "# Each real source's half, made once (scripts/real_questions.py): `test` is the frozen real test set,\n"
        "# never trained or tuned on; `train` may be paraphrased into data/nlu/. A source never changes half.\n"
    )
    body = yaml.safe_dump({"sources": dict(sorted(split.items()))}, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(header + body, encoding="utf-8")


def main() -> int:
    questions = load_questions()
    split = place(questions, load_split())
    write_split(split)
    for name in HALVES:
        items = half(name, questions, split)
        sources = {q.source for q in items}
        languages = ", ".join(f"{n} {lang}" for lang, n in sorted(Counter(q.language for q in items).items()))
        print(f"{name}: {len(items)} questions ({languages}) from {len(sources)} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
