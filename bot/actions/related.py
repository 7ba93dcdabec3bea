"""Clearly related help from the catalogue, shown after an answer that is not itself a
catalogue search (data/rules/): a prison matter (the doctor, the canteen: asked through
the prison's own channels), a crisis (after the call to alert the staff at once),
feedback, a question about languages or about the assistant, something out of scope, or
a "no" or "stop" outside a form. People often say what they need in such messages ("I
want books in Arabic", "we never have a say in the activities here", "I drink too much
and want to stop")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import catalogue, language_of, service_json, user_text
from knowledge.search import Hit

# Only clearly related services: a search score this high means several strong word
# matches ("I want to see the prison doctor" is no catalogue matter at all).
MIN_RELATED_SCORE = 25.0
MAX_RELATED = 2


def related_services(text: str, lang: str) -> list[Hit]:
    return [hit for hit in catalogue().search(text, lang, limit=MAX_RELATED)
            if hit.score >= MIN_RELATED_SCORE]


class ActionRelatedHelp(Action):
    """Runs after the answer itself (rules in data/rules/), so that answer is given even
    when the catalogue cannot be searched."""

    def name(self) -> str:
        return "action_related_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        related = related_services(user_text(tracker), language_of(tracker))
        if related:
            dispatcher.utter_message(response="utter_related_help",
                                     json_message={"services": service_json(related)})
        return []
