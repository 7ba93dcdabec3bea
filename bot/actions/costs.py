"""What help costs ("is that free?"): the services the message names or, for a follow-up
that names none, those the assistant showed last."""

from __future__ import annotations

from typing import Any

from babel.lists import format_list
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import catalogue, language_of
from bot.actions.find_services import MAX_SERVICES

ANSWERS = {"free": "utter_cost_free", "paid": "utter_cost_paid"}


def services_asked_about(tracker: Tracker, lang: str) -> list[str]:
    # The topic, not the words: "is the lawyer free?" must not find services by "free".
    topics = [topic.replace("_", " ") for topic in tracker.get_latest_entity_values("topic")]
    if topics:
        return [hit.slug for hit in catalogue().search(" ".join(topics), lang, limit=1)]
    return (tracker.get_slot("last_services") or [])[:MAX_SERVICES]


class ActionAnswerCost(Action):
    def name(self) -> str:
        return "action_answer_cost"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        pages = [catalogue().service(slug, lang) for slug in services_asked_about(tracker, lang)]
        pages = [page for page in pages if page is not None]
        if not pages:
            dispatcher.utter_message(response="utter_cost_which_service")
        # One line per answer, naming its services: "Cost not known: A, B and C."
        names_by_answer: dict[str, list[str]] = {}
        for page in pages:
            names_by_answer.setdefault(ANSWERS.get(page.cost, "utter_cost_unknown"), []).append(
                page.name)
        for response, names in names_by_answer.items():
            dispatcher.utter_message(response=response, services=format_list(names, locale=lang))
        return []
