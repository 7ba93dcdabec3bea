"""Messages made only of words the assistant never saw are held to a higher confidence.

The intent classifier always spreads its confidence over the intents it knows, so
nonsense ("xqzv wlorp gnarf") or a language it was not trained on can still come out
above the fallback threshold. Misspellings of known words ("goeiemorge", "merhabaa") are
unknown words too, but their character n-grams make the classifier sure of them. So when
not one word of a message occurs in the training data and the classifier is less sure
than `threshold`, this component sets the intent to `nlu_fallback`: the message then
goes to the catalogue search and, when that finds nothing either, to the honest fallback
(data/rules/help.yml).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.intents import override_intent

FALLBACK_INTENT = "nlu_fallback"
VOCABULARY_FILE = "vocabulary.json"


def words(message: Message) -> set[str]:
    """The message's words as the tokenizer folded them (digits and single letters aside)."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    return {token.text.lower() for token in tokens
            if len(token.text) > 1 and not token.text.isdigit()}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class UnknownWordsFallback(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"threshold": 0.5}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, vocabulary: Optional[set[str]] = None) -> None:
        self.threshold = config["threshold"]
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext,
               ) -> "UnknownWordsFallback":
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = set().union(*(words(example)
                                        for example in training_data.intent_examples))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary)))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage,
             resource: Resource, execution_context: ExecutionContext,
             **kwargs: Any) -> "UnknownWordsFallback":
        with model_storage.read_from(resource) as directory:
            vocabulary = json.loads((directory / VOCABULARY_FILE).read_text())
        return cls({**cls.get_default_config(), **config}, model_storage, resource,
                   set(vocabulary))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            seen = words(message)
            confidence = (message.get(INTENT) or {}).get("confidence") or 0.0
            if (text.startswith("/") or not seen or seen & self.vocabulary
                    or confidence >= self.threshold):
                continue
            override_intent(message, FALLBACK_INTENT)
        return messages
