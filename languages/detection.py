"""The language of one visitor message: "en", "es", or None when the message cannot tell.

py3langid (langid.py's model, inside its wheel, so nothing is downloaded) is restricted to English
and Spanish. It always answers one of the two, so a message must earn a verdict: at least two
different words of letters ("ok ok ok" is one), not all capitalised (a name such as "María
González" is not Spanish prose), and a confidence of at least MIN_CONFIDENCE. "ok", "911", "sí",
a name or a date decide nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional

from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGUAGES = ("en", "es")
# Measured on tests/language/messages.yml (scripts/language_benchmark.py, docs/language.md).
MIN_CONFIDENCE = 0.9
MIN_WORDS = 2
# Enough to tell a language; a pasted 10,000-character message costs no more than a long one.
MAX_CHARS = 1000

TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """Loaded once (under a second) and shared; probabilities normalised so the floor means something."""
    model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    model.set_languages(list(LANGUAGES))
    return model


def words(text: str) -> List[str]:
    """The words of letters in text, markup removed: what the detector is allowed to judge."""
    return WORD.findall(TAG.sub(" ", text[:MAX_CHARS]))


def is_name_like(word: str) -> bool:
    """Capitalised, not shouted: "González" is, "AYUDA" and "I" are not."""
    return word[:1].isupper() and word[1:].islower()


def confidence(text: str) -> tuple[str, float]:
    """The likelier of en/es for text and its probability (0.5 means no evidence either way)."""
    return identifier().classify(" ".join(words(text)))


def detect(text: str) -> Optional[str]:
    """The message's language, "en" or "es", when it clearly is in one of them; otherwise None."""
    found = words(text or "")
    if len({word.lower() for word in found}) < MIN_WORDS or all(is_name_like(word) for word in found):
        return None
    language, probability = confidence(text)
    return language if probability >= MIN_CONFIDENCE else None
