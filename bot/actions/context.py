"""What the actions need from outside Rasa: the catalogue, the user's language, and who is
signed in."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rasa_sdk import Tracker

from kiosk.models import Detainee
from kiosk.sessions import detainee_of_reference
from knowledge import Catalogue
from knowledge.meaning import MEANING, unpack
from wegwijzer.config import Settings
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    # Made on first use, not at import: rasa_sdk imports this package at start-up.
    return Catalogue.from_settings(settings())


def signed_in_detainee(db, tracker: Tracker) -> Detainee | None:
    """The detainee signed in on the device of this conversation, if any (the kiosk puts a
    signed reference to the session in the metadata; a signed-out session names nobody)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return detainee_of_reference(db, metadata.get("detainee"), settings().secret_key(),
                                 settings())


def language_of(tracker: Tracker) -> str:
    """The language the kiosk sent with the latest message (see kiosk/chat.py)."""
    metadata = tracker.latest_message.get("metadata") or {}
    lang = metadata.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def user_text(tracker: Tracker) -> str:
    """The latest message as typed; empty for a button's payload ("/inform{...}")."""
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def user_meaning(tracker: Tracker) -> np.ndarray | None:
    """The latest message's meaning, as the NLU found it (knowledge/meaning.py)."""
    packed = tracker.latest_message.get(MEANING)
    return unpack(packed) if packed and user_text(tracker) else None


def follow_up_topics(tracker: Tracker) -> list[str]:
    """For a follow-up that names no topic ("and after release?"), the topics of the
    conversation so far, as search words. A message that names its own topic is searched
    by its own words alone: adding the recognised topic put the right service in the
    first three less often on the held-out need questions (bench/nlu_quality.py), as a
    wrongly recognised topic pulls the wrong services up."""
    if any(tracker.get_latest_entity_values("topic")):
        return []
    return [topic.replace("_", " ") for topic in tracker.get_slot("topic") or []]


def service_name(slug: str | None, lang: str) -> str:
    page = catalogue().service(slug, lang) if slug else None
    return page.name if page else ""


def service_json(hits) -> list[dict]:
    return [{"slug": hit.slug, "name": hit.name, "summary": hit.summary} for hit in hits]
