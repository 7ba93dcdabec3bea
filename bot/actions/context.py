"""What the actions need from outside Rasa: the catalogue and the user's language."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker

from knowledge import Catalogue
from wegwijzer.config import Settings
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    # Made on first use, not at import: rasa_sdk imports this package at start-up.
    return Catalogue.from_settings(Settings.from_env())


def language_of(tracker: Tracker) -> str:
    """The language the kiosk sent with the latest message (see kiosk/chat.py)."""
    metadata = tracker.latest_message.get("metadata") or {}
    lang = metadata.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
