"""Answers a need or a question about a service with the best matching services."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import catalogue, language_of

MAX_SERVICES = 3


class ActionFindServices(Action):
    def name(self) -> str:
        return "action_find_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        text = tracker.latest_message.get("text") or ""
        topics = [value.replace("_", " ") for value in tracker.get_latest_entity_values("topic")]
        hits = catalogue().search_need(text, topics, lang, limit=MAX_SERVICES)
        if not hits:
            dispatcher.utter_message(response="utter_no_services_found")
            return []
        services = [{"slug": hit.slug, "name": hit.name} for hit in hits]
        dispatcher.utter_message(response="utter_services_found", json_message={"services": services})
        return []

