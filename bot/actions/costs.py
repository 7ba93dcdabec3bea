"""What help costs ("is that free?"): the services the message names, those the assistant
showed last (a follow-up), or, for a first question ("a free lawyer?"), those its words find."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import catalogue, language_of, service_json, user_text
from bot.actions.find_services import MAX_SERVICES
from bot.actions.related import related_services

ANSWERS = {"free": "utter_cost_free", "paid": "utter_cost_paid"}


def services_asked_about(topics: list[str], shown: list[str], text: str, lang: str) -> list[str]:
    # The topic, not the words: "is the lawyer free?" must not find services by "free".
    if topics:
        query = " ".join(topic.replace("_", " ") for topic in topics)
        return [hit.slug for hit in catalogue().search(query, lang, limit=1)]
    if shown:
        return shown[:MAX_SERVICES]
    # Clearly related services only: "is it free?" alone names nothing.
    return [hit.slug for hit in related_services(text, lang)]


class ActionAnswerCost(Action):
    def name(self) -> str:
        return "action_answer_cost"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        shown = tracker.get_slot("last_services") or []
        slugs = services_asked_about(list(tracker.get_latest_entity_values("topic")), shown,
                                     user_text(tracker), lang)
        pages = [page for page in (catalogue().service(slug, lang) for slug in slugs) if page]
        if not pages:
            dispatcher.utter_message(response="utter_cost_which_service")
            return []
        # One line per answer, naming its services: "Cost not known: A, B and C."
        names_by_answer: dict[str, list[str]] = {}
        for page in pages:
            names_by_answer.setdefault(ANSWERS.get(page.cost, "utter_cost_unknown"), []).append(
                page.name)
        for response, names in names_by_answer.items():
            dispatcher.utter_message(response=response, services=format_list(names, locale=lang))
        if slugs == shown[:MAX_SERVICES]:
            return []
        # Services the person has not seen yet are shown, to read more or to ask for.
        dispatcher.utter_message(response="utter_services_found",
                                 json_message={"services": service_json(pages)})
        return [SlotSet("last_services", [page.slug for page in pages])]
