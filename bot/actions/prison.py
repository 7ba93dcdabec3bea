"""Federal prison matters: how to ask for them, and related help from the catalogue."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import catalogue, language_of, service_json, user_text
from knowledge.search import Hit

# The doctor, the PSD and the canteen are no catalogue services: only clearly related
# services are shown (a search score this high means several strong word matches).
MIN_RELATED_SCORE = 25.0
MAX_RELATED = 2


class ActionPrisonService(Action):
    def name(self) -> str:
        return "action_prison_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_prison_service")
        lang = language_of(tracker)
        related = related_services(user_text(tracker), lang)
        if related:
            dispatcher.utter_message(response="utter_prison_related",
                                     json_message={"services": service_json(related)})
        return []


def related_services(text: str, lang: str) -> list[Hit]:
    return [hit for hit in catalogue().search(text, lang, limit=MAX_RELATED)
            if hit.score >= MIN_RELATED_SCORE]
