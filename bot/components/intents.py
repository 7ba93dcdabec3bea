"""Rasa's logistic-regression intent classifier, with its regularisation (`C`) and class
weighting configurable: Rasa fixes both (C=1, class_weight="balanced"). With about 7,900
short, varied examples, somewhat weaker regularisation separates the intents better
(bot/config.yml, bench/nlu_quality.py).
"""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WeightedLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # class_weight "balanced": every intent counts the same; None: every example does.
        return {**LogisticRegressionClassifier.get_default_config(),
                "class_weight": "balanced", "C": 1.0}

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage,
                 resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(class_weight=self.config["class_weight"], C=self.config["C"])


def override_intent(message: Message, name: Text) -> None:
    """Makes `name` the message's intent, with full confidence, first in its ranking (the
    safety components after the classifier: bot/components/crisis.py, unknown_words.py)."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [intent] + [entry for entry in message.get(INTENT_RANKING_KEY) or []
                          if entry.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
