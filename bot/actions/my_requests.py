"""Where do my requests stand? Read from the queue for the signed-in detainee."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import catalogue, language_of, service_name, signed_in_detainee
from kiosk import queue
from kiosk.templates import appointment_time

FRONTOFFICE_DECIDES = "The frontoffice decides which service"


class ActionMyRequests(Action):
    """Answers request_status and cancel_request: the person's open requests, each with
    its state or appointment, and for cancelling, where to do it."""

    def name(self) -> str:
        return "action_my_requests"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        with catalogue().sessions() as db:
            detainee = signed_in_detainee(db, tracker)
            if detainee is None:
                dispatcher.utter_message(response="utter_sign_in_to_see")
                return []
            open_requests = [request for request in queue.requests_of(db, detainee)
                             if request.state in queue.OPEN_STATES]
            if not open_requests:
                dispatcher.utter_message(response="utter_no_open_requests")
            for request in open_requests:
                utter_request(dispatcher, request, lang)
        if tracker.get_intent_of_latest_message() == "cancel_request" and open_requests:
            dispatcher.utter_message(response="utter_cancel_how")
        return []


def utter_request(dispatcher: CollectingDispatcher, request, lang: str) -> None:
    # An English msgid as argument is translated by the kiosk's NLG endpoint.
    name = service_name(request.service.slug, lang) if request.service else FRONTOFFICE_DECIDES
    if request.state == "scheduled" and request.scheduled_at:
        dispatcher.utter_message(response="utter_request_scheduled", service_name=name,
                                 when=appointment_time(request.scheduled_at, lang),
                                 place=request.place or "")
    else:
        dispatcher.utter_message(response="utter_request_state", service_name=name,
                                 state=queue.STATE_LABELS[request.state])
