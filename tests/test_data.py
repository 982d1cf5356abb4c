"""Training data and domain: Rasa's own validator, plus what it cannot see.

`rasa data validate --fail-on-warnings` runs here in-process. Rasa 3.6 counts a
response as "used" only when a story or rule names it, so it also warns about
responses that forms (utter_ask_<form>_<slot>), the default fallback
(utter_default) and custom actions send. This test accepts that one warning
only for responses it proves are sent that way; any other warning fails.

A theme with retrieval keys (``what_to_expect/driving_home`` in data/nlu) is
answered by action_answer_faq with ``utter_<theme>/<key>``, so those responses
count as sent by it. Rasa also builds a domain of its own from the retrieval
intents in the NLU data and merges it with ours, which lists the same themes
(the rules need them); it then reports them as "duplicated intents". That
warning is accepted only when every intent it names is such a keyed theme.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml

from scripts.split_nlu import read_examples

ROOT = Path(__file__).resolve().parent.parent
UNUSED = re.compile(r"^The utterance '(utter_[\w/]+)' is not used in any story or rule\.$")
NOT_IN_NLU = re.compile(r"^The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data")
# Intents only a safety net sets, never the classifier: no training examples on purpose.
SET_BY_SAFETY_NETS = {"unclear_risk"}
DUPLICATED_INTENTS = re.compile(
    r"^The following duplicated intents have been found across multiple domain files: (.+)$"
)


def sent_by_actions() -> Set[str]:
    source = "\n".join(p.read_text() for p in (ROOT / "actions").glob("*.py"))
    return set(re.findall(r"\"(utter_\w+)\"", source))


def sent_by_forms(domain: dict) -> Set[str]:
    return {
        f"utter_ask_{form}_{slot}"
        for form, spec in domain.get("forms", {}).items()
        for slot in spec.get("required_slots", [])
    }


def faq_topics() -> List[str]:
    """The intents the FAQ rule answers with action_answer_faq (utter_<topic>)."""
    rules = yaml.safe_load((ROOT / "data" / "rules.yml").read_text())["rules"]
    [faq_rule] = [r for r in rules if r["rule"] == "Answer a frequently asked question"]
    return [step["intent"] for step in faq_rule["steps"][0]["or"]]


def keyed_themes() -> Dict[str, List[str]]:
    """Themes with retrieval keys in the NLU data: ``{"what_to_expect": ["general", "driving_home", ...]}``."""
    themes: Dict[str, List[str]] = {}
    for intent in read_examples(ROOT / "data" / "nlu"):
        if "/" in intent:
            theme, key = intent.split("/", 1)
            themes.setdefault(theme, []).append(key)
    return themes


def faq_answers() -> Set[str]:
    """Every response action_answer_faq sends: utter_<topic>, or utter_<theme>/<key> for a keyed theme."""
    keyed = keyed_themes()
    return {
        answer
        for topic in faq_topics()
        for answer in ([f"utter_{topic}/{key}" for key in keyed[topic]] if topic in keyed else [f"utter_{topic}"])
    }


def sent_by_policies() -> Set[str]:
    """Responses a policy predicts itself, e.g. the apology when the action server is down."""
    from components.action_failure_policy import ActionFailurePolicy

    return {value for key, value in ActionFailurePolicy.get_default_config().items() if key.endswith("_response")}


def sent_by_nlg() -> Set[str]:
    """Responses the Rasa server's response generator adds after a crisis (nlg/crisis_followup.py)."""
    from nlg.crisis_followup import REASSESS, REMINDER

    return {REASSESS, REMINDER}


def is_sent_elsewhere(message: str, domain: dict) -> bool:
    match = UNUSED.match(message.strip())
    if not match:
        return False
    name = match.group(1)
    sent = sent_by_actions() | sent_by_forms(domain) | sent_by_policies() | sent_by_nlg() | faq_answers()
    return name in sent | {"utter_default"}


def is_set_by_a_net(message: str) -> bool:
    match = NOT_IN_NLU.match(message.strip())
    return bool(match) and match.group(1) in SET_BY_SAFETY_NETS


def is_rasas_own_retrieval_domain(message: str) -> bool:
    """Rasa's retrieval-intent domain merged with ours: it may name only keyed themes, and the retrieval
    action it adds for each (``utter_<theme>``) goes unused because action_answer_faq answers instead."""
    themes = keyed_themes()
    duplicated, unused = DUPLICATED_INTENTS.match(message.strip()), UNUSED.match(message.strip())
    if duplicated:
        return set(duplicated.group(1).split(", ")) <= set(themes)
    return bool(unused) and unused.group(1) in {f"utter_{theme}" for theme in themes}


def run_validator(fail_on_warnings: bool) -> List[str]:
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.utils.common import EXPECTED_WARNINGS

    importer = TrainingDataImporter.load_from_config(
        config_path=str(ROOT / "config.yml"), domain_path=str(ROOT / "domain"), training_data_paths=[str(ROOT / "data")]
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for category, pattern in EXPECTED_WARNINGS:  # what the rasa CLI hides too
            warnings.filterwarnings("ignore", message=pattern, category=category)
        try:
            validate_files(fail_on_warnings=fail_on_warnings, max_history=None, importer=importer)
        except SystemExit as exit_:
            if not fail_on_warnings:
                pytest.fail(f"rasa data validate found errors (exit {exit_.code})")
    return [str(w.message) for w in caught if w.category is UserWarning]


@pytest.fixture(scope="module")
def domain() -> dict:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain")).as_dict()


def test_rasa_data_validate_finds_no_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    run_validator(fail_on_warnings=False)


def test_rasa_data_validate_warns_only_about_responses_sent_by_forms_and_actions(
    monkeypatch: pytest.MonkeyPatch, domain: dict
) -> None:
    monkeypatch.chdir(ROOT)
    unexplained = [
        m
        for m in run_validator(fail_on_warnings=True)
        if not is_sent_elsewhere(m, domain) and not is_rasas_own_retrieval_domain(m) and not is_set_by_a_net(m)
    ]
    assert unexplained == []


def test_every_response_an_action_sends_exists(domain: dict) -> None:
    assert sent_by_actions() - set(domain["responses"]) == set()


def test_every_faq_topic_has_an_answer_and_enough_examples(domain: dict) -> None:
    counts: Dict[str, int] = {}
    for intent, lines in read_examples(ROOT / "data" / "nlu").items():
        counts[intent.split("/")[0]] = counts.get(intent.split("/")[0], 0) + len(lines)
    topics = faq_topics()
    assert len(topics) == 19 and faq_answers() <= set(domain["responses"])
    assert {t: counts.get(t, 0) for t in topics if counts.get(t, 0) < 25} == {}
    assert counts["crisis"] >= 60 and counts["medical_question"] >= 40 and counts["out_of_scope"] >= 40


def test_in_a_keyed_theme_every_example_has_a_key_every_key_an_answer_and_every_answer_a_key(domain: dict) -> None:
    examples = read_examples(ROOT / "data" / "nlu")
    for theme, keys in keyed_themes().items():
        assert theme not in examples, theme
        answers = {name.split("/", 1)[1] for name in domain["responses"] if name.startswith(f"utter_{theme}/")}
        assert answers == set(keys) and f"utter_{theme}" not in domain["responses"], theme
        assert {k: len(examples[f"{theme}/{k}"]) for k in keys if len(examples[f"{theme}/{k}"]) < 12} == {}, theme


def test_spanish_training_data_has_every_intent_and_key_of_the_english_with_enough_examples() -> None:
    english, spanish = read_examples(ROOT / "data" / "nlu" / "en"), read_examples(ROOT / "data" / "nlu" / "es")
    assert set(spanish) == set(english)
    assert {i: len(lines) for i, lines in spanish.items() if len(lines) < (6 if "/" in i else 15)} == {}
    assert len(spanish["crisis"]) >= 60


@pytest.mark.parametrize("held_out", ["heldout.yml", "heldout_es.yml"])
def test_held_out_examples_are_not_in_the_training_data(held_out: str) -> None:
    def texts(source: Path) -> Set[str]:
        return {line.lower() for lines in read_examples(source).values() for line in lines}

    assert texts(ROOT / "tests" / "nlu" / held_out) & texts(ROOT / "data" / "nlu") == set()


def test_the_spanish_held_out_file_asks_about_every_intent_and_theme() -> None:
    held_out = read_examples(ROOT / "tests" / "nlu" / "heldout_es.yml")
    themes = {intent.split("/")[0] for intent in read_examples(ROOT / "data" / "nlu" / "es")}
    assert set(held_out) == themes and sum(map(len, held_out.values())) >= 150


def test_no_response_states_a_clinic_fact_that_belongs_in_the_profile(domain: dict) -> None:
    # A national toll-free line (Poison Help, the Domestic Violence Hotline) is no clinic fact: it
    # names its official source (tests/safety/test_crisis_replies.py checks which).
    phone = re.compile(r"(?<!1-)\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b")
    price = re.compile(r"\$\s?\d")
    for name, variants in domain["responses"].items():
        for variant in variants:
            text = variant.get("text", "")
            assert not phone.search(text), name
            assert not price.search(text), name
