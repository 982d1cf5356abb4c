"""The real-question set: real sources kept, every source in one half, the test half never trained on."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Set

import pytest
import yaml

from scripts.real_questions import HALVES, KINDS, NEW_THEMES, half, load_questions, load_split, place
from scripts.split_nlu import read_examples

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = load_questions()
SPLIT = load_split()
# The clinic the assistant is for: its own pages would teach us its wording, not real visitors'.
OWN_CLINIC = re.compile(r"ki[_ -]?ketamine|mcallister", re.IGNORECASE)


def folded(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def intents() -> Set[str]:
    from rasa.shared.core.domain import Domain

    return set(Domain.load(str(ROOT / "domain")).intents) | set(NEW_THEMES)


def test_there_are_at_least_400_real_questions_from_many_sources() -> None:
    assert len(QUESTIONS) >= 400
    assert len({q.source for q in QUESTIONS}) >= 40


def test_every_question_names_its_public_source_and_none_is_the_clinics_own() -> None:
    for question in QUESTIONS:
        assert question.text.strip() and question.kind in KINDS, question
        assert re.match(r"(https?://|github:)\S+", question.source), question
        assert not OWN_CLINIC.search(question.source + " " + question.source_title), question


def test_every_label_is_an_intent_of_the_domain_or_a_named_new_theme() -> None:
    assert {q.intent for q in QUESTIONS} - intents() == set()


def test_no_question_is_collected_twice() -> None:
    twice = [text for text, n in Counter(folded(q.text) for q in QUESTIONS).items() if n > 1]
    assert twice == []


def test_every_source_has_its_half_and_placing_again_moves_nothing() -> None:
    assert {q.source for q in QUESTIONS} <= set(SPLIT)
    assert set(SPLIT.values()) <= set(HALVES)
    assert place(QUESTIONS, SPLIT) == SPLIT


def test_both_halves_hold_personal_medical_and_off_topic_questions() -> None:
    for name in HALVES:
        themes = Counter(q.intent for q in half(name, QUESTIONS, SPLIT))
        assert min(themes["medical_question"], themes["out_of_scope"]) >= 10, (name, themes)


@pytest.mark.parametrize("trained", ["data/nlu", "tests/nlu/heldout.yml", "tests/nlu/heldout_es.yml"])
def test_nothing_is_trained_or_tuned_on_the_real_test_set(trained: str) -> None:
    test_texts = {folded(q.text) for q in half("test", QUESTIONS, SPLIT)}
    written = {folded(line) for lines in read_examples(ROOT / trained).values() for line in lines}
    assert test_texts & written == set()


def test_a_new_source_is_placed_where_its_themes_are_scarce_and_recorded_ones_never_move() -> None:
    from scripts.real_questions import Question

    def asked(source: str, intent: str) -> Question:
        return Question(text=f"{source} {intent}", source=source, kind="forum", intent=intent)

    recorded = {"old-a": "test", "old-b": "train"}
    questions = [asked("old-a", "crisis"), asked("old-b", "greet"), asked("new", "crisis")]
    placed = place(questions, recorded)
    assert placed == {**recorded, "new": "train"}


def test_a_collection_marked_spanish_gives_its_questions_that_language_and_unmarked_ones_stay_english(
    tmp_path: Path,
) -> None:
    from scripts.real_questions import load_questions as load

    entry = {"source": "https://example.org/faq", "kind": "clinic_faq", "intent": "greet"}
    (tmp_path / "a.yml").write_text(yaml.safe_dump([{**entry, "text": "hello"}]), encoding="utf-8")
    spanish = {"language": "es", "questions": [{**entry, "text": "hola"}, {**entry, "text": "hi", "language": "en"}]}
    (tmp_path / "b.yml").write_text(yaml.safe_dump(spanish, allow_unicode=True), encoding="utf-8")
    assert [(q.text, q.language) for q in load(tmp_path)] == [("hello", "en"), ("hola", "es"), ("hi", "en")]


def test_every_question_is_in_a_known_language_and_the_spanish_set_is_in_both_halves() -> None:
    from scripts.real_questions import LANGUAGES

    assert {q.language for q in QUESTIONS} <= set(LANGUAGES)
    for name in HALVES:
        themes = Counter(q.intent for q in half(name, QUESTIONS, SPLIT, language="es"))
        assert min(themes["crisis"], themes["out_of_scope"]) >= 3, (name, themes)


def test_a_new_spanish_source_is_placed_by_the_spanish_questions_alone() -> None:
    """Many English crisis questions in the test half do not push a Spanish crisis source to train."""
    from scripts.real_questions import Question

    def asked(source: str, intent: str, language: str) -> Question:
        return Question(text=f"{source} {intent}", source=source, kind="forum", intent=intent, language=language)

    recorded = {"en-a": "test", "en-b": "test", "es-a": "train"}
    questions = [
        asked("en-a", "crisis", "en"),
        asked("en-b", "crisis", "en"),
        asked("es-a", "crisis", "es"),
        asked("es-new", "crisis", "es"),
    ]
    assert place(questions, recorded)["es-new"] == "test"
