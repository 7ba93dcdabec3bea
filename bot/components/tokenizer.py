"""Whitespace tokens with spelling variants folded, as the catalogue search folds them.

People type Arabic with or without diacritics, tatweel and hamza on the alef, Polish,
Romanian, Turkish and French with or without their accents ("ksiazki", "sa", "cok"),
and Turkish "İ" lowercases badly in Python; tokens are folded the same way for training
and for prediction. Token offsets stay those of the original text, so entities still
point at what the person wrote.
"""

from __future__ import annotations

from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message
from whoosh.support.charset import accent_map

from knowledge.analysis import normalise


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class NormalisingTokenizer(WhitespaceTokenizer):
    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            token.text = normalise(token.text).translate(accent_map)
            token.lemma = token.text
        return tokens
