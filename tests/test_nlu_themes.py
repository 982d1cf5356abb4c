"""Where the SPRAVATO and at-home ketamine themes meet their neighbours (docs/understanding.md).

A question that names SPRAVATO, esketamine or "the nasal spray" meaning it is spravato's, with
its key; the ways ketamine can be given, without naming SPRAVATO, stay what_to_expect/forms;
ketamine taken at home is at_home_ketamine. Wording written for this test, in none of the
training data (checked below) and never taken from the real test set.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from scripts.split_nlu import read_examples

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"

EXPECTED = [
    ("how much is the spravato treatment per session", "spravato/cost_and_access"),
    ("does esketamine make people feel dissociated", "spravato/side_effects"),
    ("esketamine nasal spray versus an iv drip of ketamine", "spravato/vs_ketamine_infusion"),
    ("how often will i come in for spravato in the first month", "spravato/treatment_schedule"),
    ("what is esketamine used for", "spravato/what_is_spravato"),
    ("can you drive home after a spravato treatment", "spravato/what_to_expect"),
    ("is it safe to take ketamine at home by myself", "at_home_ketamine/safety"),
    ("can i get ketamine from a telehealth service", "at_home_ketamine/general"),
    ("how do ketamine troches work under the tongue", "at_home_ketamine/troches"),
    # The neighbours keep their own questions.
    ("is ketamine available as a nasal spray or only iv", "what_to_expect/forms"),
    ("can i drive home after my infusion", "what_to_expect/driving_home"),
    ("what kinds of side effects does ketamine have", "side_effects"),
]


def test_the_boundary_wording_is_not_in_the_training_data() -> None:
    written = {line.lower() for lines in read_examples(ROOT / "data" / "nlu").values() for line in lines}
    assert [text for text, _ in EXPECTED if text in written] == []


@pytest.mark.model  # the trained model, loaded in this process
def test_spravato_and_at_home_questions_get_their_theme_and_key_and_the_neighbours_keep_theirs() -> None:
    from scripts.evaluate_nlu import label_of, predict

    parses = asyncio.run(predict(MODEL, [text for text, _ in EXPECTED]))
    understood = [(text, label_of(parse)) for (text, _), parse in zip(EXPECTED, parses)]
    assert [(text, got) for (text, got), (_, want) in zip(understood, EXPECTED) if got != want] == []
