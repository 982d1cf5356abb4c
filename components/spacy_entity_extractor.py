"""NLU component: Rasa's spaCy entity extractor, without running spaCy a second time.

Rasa's ``SpacyEntityExtractor`` runs the whole spaCy pipeline again on every
message, because ``SpacyNLP`` lowercases the text by default and lowercase
text hides names from the recogniser. With ``case_sensitive: true`` on
``SpacyNLP`` (config.yml) the document it already made is the one the
extractor needs, so this extractor reads PERSON, DATE and TIME from it (and
runs spaCy itself only when that document is missing or lowercased). spaCy
was 12.6% of the Rasa server's time under 20 visitors, half of it the second run.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.spacy_entity_extractor import SpacyEntityExtractor
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP")
class SpacyDocEntityExtractor(SpacyEntityExtractor):
    """Entities from the document ``SpacyNLP`` made of the message, case and all."""

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or doc.text != text:  # no document (empty text), or a lowercased one
                doc = model.model(text)
            extracted = self.filter_irrelevant_entities(
                self.add_extractor_name(self._extract_entities(doc)), self._config["dimensions"]
            )
            message.set(ENTITIES, message.get(ENTITIES, []) + extracted, add_to_output=True)
        return messages
