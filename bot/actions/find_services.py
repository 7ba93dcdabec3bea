"""Answers a need, a question about a service, or a subject button with matching services."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import (
    catalogue,
    follow_up_topics,
    language_of,
    service_json,
    user_meaning,
    user_text,
)
from knowledge.labels import DOMAINS

MAX_SERVICES = 3


class ActionFindServices(Action):
    def name(self) -> str:
        return "action_find_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        subject = next(tracker.get_latest_entity_values("domain"), None)
        if subject in DOMAINS:
            hits = catalogue().all_services(lang, domain=subject)
            dispatcher.utter_message(response="utter_services_in_domain",
                                     domain_name=DOMAINS[subject],
                                     json_message={"services": service_json(hits)})
            return [SlotSet("last_services", [hit.slug for hit in hits])]

        text = user_text(tracker)
        hits = catalogue().search_need(text, follow_up_topics(tracker), lang, limit=MAX_SERVICES,
                                       meaning=user_meaning(tracker))
        if not hits:
            if text:
                catalogue().record_unanswered(text, lang)
            dispatcher.utter_message(response="utter_no_services_found")
            return []
        dispatcher.utter_message(response="utter_services_found",
                                 json_message={"services": service_json(hits)})
        return [SlotSet("last_services", [hit.slug for hit in hits])]
