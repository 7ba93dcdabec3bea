"""The appointment form: which service, what about, interpreter, consent, confirmation;
then the request is filed in the queue (kiosk/queue.py) for the signed-in detainee.

Someone who is not signed in keeps the filled-in form: they sign in on the page and tap
"Send my request" (the `submit_request` button), which runs the submit action again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import (
    catalogue,
    follow_up_topics,
    language_of,
    service_name,
    signed_in_detainee,
    user_text,
)
from kiosk import queue

FRONTOFFICE = "radar-frontoffice"
# A search hit is a clear match when it scores at least this share of the best hit.
CLEAR_MATCH = 0.5
FORM_SLOTS = ("service", "description", "interpreter", "consent", "confirmed")


class ValidateAppointmentForm(FormValidationAction):
    def name(self) -> str:
        return "validate_appointment_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain):
        # Without consent there is nothing to confirm.
        if tracker.get_slot("consent") is False:
            return [slot for slot in domain_slots if slot != "confirmed"]
        return domain_slots

    def validate_service(self, value: Any, dispatcher: CollectingDispatcher,
                         tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        lang = language_of(tracker)
        if catalogue().service(str(value), lang) is not None:
            return {"service": value}
        hits = catalogue().search_need(str(value), [], lang, limit=1)
        if hits:
            return {"service": hits[0].slug}
        dispatcher.utter_message(response="utter_service_not_found")
        return {"service": None}

    def validate_description(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        text = str(value).strip()
        return {"description": text[:500] if len(text) >= 2 else None}

    def validate_confirmed(self, value: Any, dispatcher: CollectingDispatcher,
                           tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        if value:
            return {"confirmed": True}
        dispatcher.utter_message(response="utter_start_again")
        return {slot: None for slot in FORM_SLOTS}


class ActionAskService(Action):
    """Asks for the service. The buttons: the services shown last or, when none were, the
    services the request itself names ("I want to sign up for the Dutch course"); and
    always the frontoffice."""

    def name(self) -> str:
        return "action_ask_service"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        proposed = (tracker.get_slot("last_services")
                    or matching_services(user_text(tracker), follow_up_topics(tracker), lang))
        slugs = [*proposed[:3], FRONTOFFICE]
        buttons = [
            {"title": service_name(slug, lang), "payload": f'/inform{{"service": "{slug}"}}'}
            for slug in dict.fromkeys(slugs)
        ]
        dispatcher.utter_message(response="utter_ask_service", buttons=buttons)
        return []


def matching_services(text: str, topics: list[str], lang: str) -> list[str]:
    """The services a request for an appointment names: only clear matches ("I want an
    appointment" matches everything a little and nothing well)."""
    if not text:
        return []
    hits = catalogue().search_need(text, topics, lang, limit=3)
    return [hit.slug for hit in hits if hit.score >= CLEAR_MATCH * hits[0].score]


class ActionAskConsent(Action):
    def name(self) -> str:
        return "action_ask_consent"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        utter_about_service(dispatcher, tracker, "utter_ask_consent")
        return []


class ActionAskConfirmed(Action):
    def name(self) -> str:
        return "action_ask_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        response = interpreter_variant("utter_ask_confirmed", tracker)
        utter_about_service(dispatcher, tracker, response)
        return []


class ActionSubmitAppointment(Action):
    def name(self) -> str:
        return "action_submit_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        if not tracker.get_slot("description"):
            dispatcher.utter_message(response="utter_nothing_to_send")
            return []
        if not tracker.get_slot("consent"):
            dispatcher.utter_message(response="utter_no_consent")
            return [SlotSet(slot, None) for slot in FORM_SLOTS]
        with catalogue().sessions() as db:
            detainee = signed_in_detainee(db, tracker)
            if detainee is None:
                dispatcher.utter_message(response="utter_sign_in_to_send")
                return []  # the form's answers wait for the sign-in
            filed = queue.file_request(db, detainee, new_request(tracker))
            utter_about_service(dispatcher, tracker, "utter_request_filed", ref=filed.ref)
        return [SlotSet(slot, None) for slot in FORM_SLOTS]


def new_request(tracker: Tracker) -> queue.NewRequest:
    """The form's answers as a request. The key makes filing idempotent: a retried action
    for the same confirmation files nothing new."""
    confirmation = next((event for event in reversed(tracker.events)
                         if event.get("event") == "user"), {})
    key = hashlib.sha256(
        f"{tracker.sender_id}:{confirmation.get('timestamp')}".encode()).hexdigest()
    return queue.NewRequest(
        about=tracker.get_slot("description"), lang=language_of(tracker),
        service_slug=tracker.get_slot("service") or None,
        interpreter=bool(tracker.get_slot("interpreter")), consent=True, submission_key=key)


def utter_about_service(dispatcher: CollectingDispatcher, tracker: Tracker, response: str,
                        **values) -> None:
    """Utters `response` with the chosen service's name, in the person's language."""
    name = service_name(tracker.get_slot("service"), language_of(tracker))
    dispatcher.utter_message(response=response, service_name=name, **values)


def interpreter_variant(response: str, tracker: Tracker) -> str:
    """The response's "_with_interpreter" variant when the person needs an interpreter."""
    return f"{response}_with_interpreter" if tracker.get_slot("interpreter") else response
