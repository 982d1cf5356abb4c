"""The custom NLU components, run as Rasa runs them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.crisis_safety_net import CrisisSafetyNet
from components.medical_safety_net import KEPT_INTENTS, MedicalSafetyNet
from components.minilm_featurizer import MiniLMFeaturizer, weights_folder

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def featurizer() -> MiniLMFeaturizer:
    return MiniLMFeaturizer({**MiniLMFeaturizer.get_default_config(), "alias": "minilm"}, "minilm")


def embedding(featurizer: MiniLMFeaturizer, text: str) -> np.ndarray:
    [message] = featurizer.process([Message(data={TEXT: text})])
    [features] = message.features
    assert features.type == "sentence" and features.features.shape == (1, 384)
    return features.features[0]


def test_paraphrases_are_closer_than_unrelated_questions(featurizer: MiniLMFeaturizer) -> None:
    addictive = embedding(featurizer, "is ketamine addictive")
    hooked = embedding(featurizer, "could I get hooked on this stuff")
    train = embedding(featurizer, "what time does the train to new york leave")
    assert addictive @ hooked > addictive @ train + 0.2
    assert np.isclose(np.linalg.norm(addictive), 1.0, atol=1e-4)


def test_empty_huge_and_odd_text_is_featurized(featurizer: MiniLMFeaturizer) -> None:
    for text in ["", "x" * 20000, "🙂 <script>alert(1)</script>", "氯胺酮治疗安全吗"]:
        assert np.isfinite(embedding(featurizer, text)).all()


@pytest.mark.slow  # loads the TensorFlow reference model
def test_the_onnx_encoder_gives_the_vectors_of_the_tensorflow_reference(featurizer: MiniLMFeaturizer) -> None:
    """The converted encoder computes what sentence-transformers' recipe on the original weights computes."""
    from scripts.prepare_minilm import reference_encoder

    texts = [
        "is ketamine addictive",
        "hi",
        "I take lithium, is it safe for me to have an infusion?",
        "<script>alert(1)</script> Robert'); DROP TABLE events;--",
        "氯胺酮治疗安全吗",
        "x" * 2000,
    ]
    encoder = featurizer.encoder
    encodings = encoder.tokenizer.encode_batch(texts)
    columns = ([e.ids for e in encodings], [e.attention_mask for e in encodings], [e.type_ids for e in encodings])
    from transformers import AutoTokenizer

    hugging_face = AutoTokenizer.from_pretrained(str(weights_folder()))(
        texts, padding=True, truncation=True, max_length=128
    )
    assert columns[0] == hugging_face["input_ids"]  # tokenized as transformers does
    reference = reference_encoder(weights_folder())(*(np.array(c, dtype=np.int32) for c in columns)).numpy()
    assert np.abs(encoder.encode(texts) - reference).max() < 1e-5
    assert np.abs(encoder.encode(texts[1:2]) - reference[1:2]).max() < 1e-5  # padding changes nothing


def test_messages_without_text_get_no_features(featurizer: MiniLMFeaturizer) -> None:
    [message] = featurizer.process([Message(data={INTENT: "greet"})])
    assert message.features == []


def parsed(text: str, ranking: list) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    return message


def test_safety_net_overrides_a_confident_wrong_intent() -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    [message] = net.process([parsed("i wrote goodbye letters to my kids", [{"name": "goodbye", "confidence": 0.97}])])
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert message.get("safety_net")["source"] == "patterns"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "crisis"


def test_a_confident_classifier_alone_gives_the_crisis_reply_but_alerts_nobody_before_a_yes() -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    ranking = [{"name": "crisis", "confidence": 0.85}, {"name": "greet", "confidence": 0.1}]
    [message] = net.process([parsed("everything feels pointless lately", ranking)])
    assert message.get(INTENT) == {"name": "unclear_risk", "confidence": 1.0}  # crisis would alert staff
    assert message.get("safety_net") == {
        "triggered": False,
        "unclear": True,
        "source": "classifier",
        "answer": None,
        "crisis_reply": True,
        "emergency": "suicide",
    }


def test_a_low_confidence_crisis_from_the_classifier_alone_is_unclear_and_raises_no_alarm() -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    low = [{"name": "nlu_fallback", "confidence": 0.3}, {"name": "crisis", "confidence": 0.28}]
    [message] = net.process([parsed("everything feels heavy lately", low)])
    assert message.get(INTENT)["name"] == "nlu_fallback" and message.get("safety_net") == {"triggered": False}
    first = [{"name": "crisis", "confidence": 0.55}, {"name": "contact_info", "confidence": 0.3}]
    [message] = net.process([parsed("how do i reach you guys", first)])
    assert message.get(INTENT) == {"name": "unclear_risk", "confidence": 1.0}
    assert message.get("safety_net") == {
        "triggered": False,
        "unclear": True,
        "source": "classifier",
        "answer": "contact_info",
    }
    medical = [{"name": "crisis", "confidence": 0.5}, {"name": "inform", "confidence": 0.3}]
    [message] = net.process([parsed("my name is Ann, I'm on lithium", medical)])
    assert message.get(INTENT) == {"name": "medical_question", "confidence": 1.0}


@pytest.mark.parametrize(
    "text", ["can ketamine help with suicidal thoughts?", "is ketamine used for suicidal depression"]
)
def test_a_mention_of_suicide_in_a_question_about_treatment_is_asked_about_not_assumed(text: str) -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    ranking = [{"name": "crisis", "confidence": 0.6}, {"name": "conditions_treated", "confidence": 0.35}]
    [message] = net.process([parsed(text, ranking)])
    assert message.get(INTENT)["name"] == "unclear_risk"
    assert message.get("safety_net")["answer"] == "conditions_treated" and not message.get("safety_net")["triggered"]
    unsure = [{"name": "crisis", "confidence": 0.7}, {"name": "substance_use_treatment", "confidence": 0.2}]
    [message] = net.process([parsed(text, unsure)])
    assert message.get("safety_net")["answer"] is None  # no answer rather than a wrong one


@pytest.mark.parametrize("text", ["i have suicidal thoughts, can ketamine help", "feeling suicidal"])
def test_a_mention_of_suicide_about_the_writer_is_a_crisis_at_once(text: str) -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    [message] = net.process([parsed(text, [{"name": "conditions_treated", "confidence": 0.9}])])
    assert message.get(INTENT)["name"] == "crisis" and message.get("safety_net")["triggered"]


@pytest.mark.parametrize(
    ("text", "emergency"),
    [
        ("he has chest pain and can't breathe after his infusion", "medical_emergency"),
        ("my brother overdosed", "overdose"),
        ("my husband hit me and says he'll do it again", "danger_from_others"),
        ("my son says he wants to die", "someone_else_at_risk"),
        ("i want to end my life", "suicide"),
    ],
)
def test_a_crisis_names_its_kind_of_emergency_as_the_entity_that_fills_the_slot(text: str, emergency: str) -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    earlier = {"entity": "emergency", "value": "suicide", "start": 0, "end": 1}
    message = parsed(text, [{"name": "greet", "confidence": 0.9}])
    message.set("entities", [earlier, {"entity": "PERSON", "value": "Ann", "start": 0, "end": 3}])
    [message] = net.process([message])
    assert message.get("safety_net")["emergency"] == emergency
    kinds = [e for e in message.get("entities") if e["entity"] == "emergency"]
    assert [e["value"] for e in kinds] == [emergency] and kinds[0]["end"] == len(text)
    assert {"entity": "PERSON", "value": "Ann", "start": 0, "end": 3} in message.get("entities")


def test_a_crisis_the_classifier_alone_is_sure_of_gets_the_suicide_and_self_harm_reply() -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    [message] = net.process([parsed("everything feels pointless lately", [{"name": "crisis", "confidence": 0.9}])])
    assert [e["value"] for e in message.get("entities")] == ["suicide"]


def test_safety_net_leaves_ordinary_messages_alone() -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    ranking = [{"name": "cost_insurance", "confidence": 0.9}, {"name": "crisis", "confidence": 0.01}]
    [message] = net.process([parsed("this price is killing me", ranking)])
    assert message.get(INTENT)["name"] == "cost_insurance" and message.get("safety_net") == {"triggered": False}


def test_medical_net_overrides_a_confident_faq_answer_and_says_why() -> None:
    ranking = [
        {"name": "myth_safety", "confidence": 0.91},
        {"name": "medical_question", "confidence": 0.05},
        {"name": "crisis", "confidence": 0.02},
    ]
    message = parsed("I take lithium, can I have ketamine?", ranking)
    message.set("response_selector", {"default": {"response": {"responses": []}}}, add_to_output=True)
    [message] = MedicalSafetyNet().process([message])
    assert message.get(INTENT) == {"name": "medical_question", "confidence": 1.0}
    # the classifier's crisis score stays in the ranking for the crisis net after this one
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)] == ["medical_question", "myth_safety", "crisis"]
    assert message.get("medical_net") == {"triggered": True, "category": "medication", "rule": "takes_medication"}
    assert message.get("response_selector") == {"default": {"response": {"responses": []}}}  # left as it was


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope", "side_effects", "medical_question"])
def test_medical_net_takes_over_fallback_out_of_scope_and_faq_themes(intent: str) -> None:
    [message] = MedicalSafetyNet().process([parsed("i'm breastfeeding, is ketamine ok?", [{"name": intent}])])
    assert message.get(INTENT) == {"name": "medical_question", "confidence": 1.0}
    assert message.get("medical_net")["category"] == "pregnancy"


@pytest.mark.parametrize(
    "intent", ["crisis", "inform", "request_appointment", "affirm", "deny", "stop", "human_handoff"]
)
def test_medical_net_leaves_crisis_and_conversation_steps_alone(intent: str) -> None:
    ranking = [{"name": intent, "confidence": 0.8}, {"name": "medical_question", "confidence": 0.1}]
    [message] = MedicalSafetyNet().process([parsed("my name is Ann, I'm on lithium", ranking)])
    assert message.get(INTENT) == ranking[0] and message.get(INTENT_RANKING_KEY) == ranking
    assert message.get("medical_net") == {"triggered": False}


def test_medical_net_leaves_general_questions_to_the_faq() -> None:
    ranking = [{"name": "side_effects", "confidence": 0.7}]
    [message] = MedicalSafetyNet().process([parsed("does ketamine interact with antidepressants?", ranking)])
    assert message.get(INTENT)["name"] == "side_effects" and message.get("medical_net") == {"triggered": False}


def test_a_crisis_passes_the_medical_net_untouched_and_the_crisis_net_sets_it() -> None:
    ranking = [{"name": "side_effects", "confidence": 0.6}, {"name": "crisis", "confidence": 0.3}]
    message = parsed("i've been saving up my lithium to take all at once", ranking)
    [message] = MedicalSafetyNet().process([message])
    assert message.get("medical_net") == {"triggered": False} and message.get(INTENT_RANKING_KEY) == ranking
    [message] = CrisisSafetyNet(CrisisSafetyNet.get_default_config()).process([message])
    assert message.get(INTENT)["name"] == "crisis"


def test_the_medical_net_runs_after_the_fallback_and_before_the_crisis_net_which_stays_last() -> None:
    names = [c["name"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    medical = names.index("components.medical_safety_net.MedicalSafetyNet")
    assert names.index("FallbackClassifier") < medical < names.index("components.crisis_safety_net.CrisisSafetyNet")
    assert names[-1] == "components.crisis_safety_net.CrisisSafetyNet"


def test_every_intent_is_either_kept_or_one_a_medical_question_may_take_over() -> None:
    """A new intent must be sorted here: kept (a conversation step) or overridable (an answer like the FAQ's)."""

    def intents(pattern: str) -> set:
        listed = [i for path in ROOT.glob(pattern) for i in yaml.safe_load(path.read_text()).get("intents", [])]
        return {i if isinstance(i, str) else next(iter(i)) for i in listed}  # "- crisis: {use_entities: []}"

    overridable = intents("domain/faq_*.yml") | {"nlu_fallback", "out_of_scope", "medical_question"}
    assert KEPT_INTENTS <= intents("domain/*.yml")
    assert intents("domain/*.yml") - KEPT_INTENTS == overridable


@pytest.mark.slow  # trains a classifier
def test_embedding_classifier_learns_meaning_and_spelling_and_survives_a_reload(tmp_path, featurizer) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from components.intent_classifier import EmbeddingIntentClassifier

    examples = {
        "myth_addiction": ["is ketamine addictive", "can you get addicted to it", "will i become dependent"],
        "cost_insurance": ["how much does it cost", "do you take insurance", "whats the price"],
        "greet": ["hello", "hi there", "good morning"],
    }
    messages = [Message(data={TEXT: t, INTENT: i}) for i, texts in examples.items() for t in texts]
    featurizer.process(messages)
    storage, resource = LocalModelStorage(tmp_path), Resource("clf")
    config = {**EmbeddingIntentClassifier.get_default_config(), "C": 7.5}
    trained = EmbeddingIntentClassifier(config, storage, resource)
    assert trained.classifier.C == 7.5
    trained.train(TrainingData(messages))
    loaded = EmbeddingIntentClassifier.load(config, storage, resource, None)
    queries = [Message(data={TEXT: t}) for t in ("could i get hooked on this", "ketamine adictive??", "price?")]
    loaded.process(featurizer.process(queries))
    assert [q.get(INTENT)["name"] for q in queries] == ["myth_addiction", "myth_addiction", "cost_insurance"]
    with pytest.raises(ValueError):
        EmbeddingIntentClassifier.validate_config({"C": 0})


@pytest.mark.slow  # trains classifiers
def test_the_multilingual_encoder_carries_english_examples_over_to_spanish_messages(tmp_path, featurizer) -> None:
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from components.intent_classifier import EmbeddingIntentClassifier

    english = {
        "myth_addiction": ["is ketamine addictive", "can you get addicted to it", "will i become dependent"],
        "cost_insurance": ["how much does it cost", "do you take insurance", "whats the price"],
        "greet": ["hello", "hi there", "good morning"],
    }
    messages = [Message(data={TEXT: t, INTENT: i}) for i, texts in english.items() for t in texts]
    featurizer.process(messages)
    storage = LocalModelStorage(tmp_path)
    queries = {
        "me puedo volver dependiente de esto?": "myth_addiction",
        "cuanto cuesta el tratamiento": "cost_insurance",
        "buenas tardes": "greet",
        "could i get hooked on this": "myth_addiction",  # English as before
        "price?": "cost_insurance",
    }
    understood = {}
    for multilingual in (False, True):
        config = {**EmbeddingIntentClassifier.get_default_config(), "multilingual_encoder": multilingual}
        resource = Resource(f"clf-{multilingual}")
        EmbeddingIntentClassifier(config, storage, resource).train(TrainingData(messages))
        loaded = EmbeddingIntentClassifier.load(config, storage, resource, None)
        parsed = loaded.process(featurizer.process([Message(data={TEXT: t}) for t in queries]))
        understood[multilingual] = {m.get(TEXT) for m in parsed if m.get(INTENT)["name"] == queries[m.get(TEXT)]}
    assert understood[True] == set(queries)  # no Spanish example taught it these
    assert not set(list(queries)[:3]) <= understood[False]  # MiniLM and English n-grams alone miss Spanish
    [huge] = loaded.process(featurizer.process([Message(data={TEXT: "ketamina " * 2000})]))
    assert huge.get(INTENT)["name"] in english  # 18,000 characters, of which USE reads the first 600


def test_entities_come_from_spacys_document_of_the_message_and_never_from_a_lowercased_one() -> None:
    import spacy
    from rasa.nlu.constants import SPACY_DOCS
    from rasa.nlu.utils.spacy_utils import SpacyModel

    from components.spacy_entity_extractor import SpacyDocEntityExtractor

    nlp = spacy.load(ROOT / ".venv" / "spacy" / "en_core_web_sm")
    model = SpacyModel(model=nlp, model_name="en_core_web_sm")
    extractor = SpacyDocEntityExtractor({"dimensions": ["PERSON", "DATE", "TIME"]})
    text = "hi, I'm John Smith, can I come next Tuesday at 3pm?"
    made, lowercased, empty = (Message(data={TEXT: t}) for t in (text, text, ""))
    made.set(SPACY_DOCS[TEXT], nlp(text))
    lowercased.set(SPACY_DOCS[TEXT], nlp(text.lower()))  # what SpacyNLP makes unless case_sensitive
    extractor.process([made, lowercased, empty], model)
    expected = {("PERSON", "John Smith"), ("DATE", "next Tuesday"), ("TIME", "3pm")}
    assert {(e["entity"], e["value"]) for e in made.get("entities")} == expected
    assert {(e["entity"], e["value"]) for e in lowercased.get("entities")} == expected
    assert empty.get("entities") == []


@pytest.mark.parametrize(
    ("text", "ranking", "expected"),
    [
        (
            "i'm bored to death of antidepressants that do nothing, what else is there",
            [{"name": "crisis", "confidence": 0.9}, {"name": "conditions_treated", "confidence": 0.4}],
            "conditions_treated",
        ),
        ("i'd kill for a cheaper option", [{"name": "crisis", "confidence": 0.5}], "nlu_fallback"),
        (
            "me muero de ganas de empezar, llevo meses esperando",
            [{"name": "crisis", "confidence": 0.6}],
            "nlu_fallback",
        ),
        ("estoy muerta de cansancio, a que hora abren?", [{"name": "crisis", "confidence": 0.5}], "nlu_fallback"),
    ],
)
def test_an_idiom_about_death_is_not_taken_for_risk_when_the_patterns_see_none(
    text: str, ranking: list, expected: str
) -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    [message] = net.process([parsed(text, ranking)])
    assert message.get(INTENT)["name"] == expected
    assert message.get("safety_net") == {"triggered": False, "idiom": True}


@pytest.mark.parametrize(
    "text",
    [
        "i'm sick to death of everything",
        "tired to death of living like this",
        "i'm scared to death of myself",
        "me muero de tristeza",
        "me muero de soledad, ya no puedo mas",
    ],
)
def test_weariness_of_life_itself_is_not_an_idiom(text: str) -> None:
    net = CrisisSafetyNet(CrisisSafetyNet.get_default_config())
    [message] = net.process([parsed(text, [{"name": "crisis", "confidence": 0.6}])])
    assert message.get(INTENT)["name"] in ("crisis", "unclear_risk")
