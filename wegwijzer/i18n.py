"""Translations (gettext catalogues in translations/) and the extractor for Rasa's responses."""

from __future__ import annotations

from functools import lru_cache

import yaml
from babel.support import NullTranslations, Translations

from wegwijzer.config import TRANSLATIONS_DIR
from wegwijzer.languages import LANGUAGES


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return Translations.load(str(TRANSLATIONS_DIR), [lang])


def extract_rasa_responses(fileobj, keywords, comment_tags, options):
    """Babel extractor for a Rasa domain: every response text and button title.

    Registered as `rasa_responses` (pyproject.toml) and used in babel.cfg.
    """
    root = yaml.compose(fileobj.read().decode("utf-8"))
    responses = _mapping_value(root, "responses")
    if responses is None:
        return
    for name_node, variations in responses.value:
        for variation in variations.value:
            for key_node, value_node in variation.value:
                if key_node.value == "text":
                    line = value_node.start_mark.line + 1
                    yield line, "gettext", value_node.value, [name_node.value]
                elif key_node.value == "buttons":
                    for button in value_node.value:
                        title = _mapping_value(button, "title")
                        yield title.start_mark.line + 1, "gettext", title.value, [name_node.value]


def _mapping_value(node, key: str):
    for key_node, value_node in getattr(node, "value", []):
        if key_node.value == key:
            return value_node
    return None


def N_(message: str) -> str:
    """Marks a message for extraction into translations/; it is translated where shown."""
    return message
