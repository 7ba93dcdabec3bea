"""A safety net under the model: crisis words always mean `urgent_help`.

The classifier may miss a crisis phrased in a way it has not seen; this component,
placed last in the pipeline, overrides the intent when the message contains a word or
phrase of bot/crisis_terms.yml (in any language). The crisis rules then answer at once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from whoosh.support.charset import accent_map

from bot.components.intents import override_intent
from knowledge.analysis import normalise

TERMS_FILE = Path(__file__).resolve().parent.parent / "crisis_terms.yml"
CRISIS_INTENT = "urgent_help"


def fold(text: str) -> str:
    """Lowercase, script-normalised, without accents, words separated by single spaces."""
    words = re.findall(r"\w+", normalise(text).lower().translate(accent_map))
    return " ".join(words)


@lru_cache(maxsize=1)
def crisis_pattern() -> re.Pattern:
    terms = {fold(term) for terms in yaml.safe_load(TERMS_FILE.read_text("utf-8")).values()
             for term in terms}
    alternatives = "|".join(sorted((re.escape(term) for term in terms), key=len, reverse=True))
    # A term starts at a word start and may take an ending ("öldür" in "öldürmek").
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*")


def mentions_crisis(text: str) -> bool:
    return crisis_pattern().search(fold(text)) is not None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class CrisisOverride(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage,
               resource: Resource, execution_context: ExecutionContext) -> "CrisisOverride":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/") or not mentions_crisis(text):
                continue
            override_intent(message, CRISIS_INTENT)
        return messages
