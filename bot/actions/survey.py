"""Surveys through the assistant (`give_feedback`): the open surveys the signed-in person may
still answer, as buttons; then one question at a time in their language, choices and faces
as buttons and short answers typed. The answers are kept by kiosk/surveys.py, anonymously.

The form `survey_form` asks its one slot, `survey_answer`, once per question: validating an
answer stores it in `survey_progress` ({"survey", "step", "answers", "picked"}) and empties
the slot again, until the last question is answered and the form ends.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import catalogue, language_of, settings, signed_in_detainee
from kiosk import surveys
from kiosk.feedback import SCALE, in_language, local_today
from wegwijzer.i18n import N_, translations

SKIP, DONE = "skip", "done"
SKIP_TITLE = N_("Skip")
DONE_TITLE = N_("That is all")
RESET = [SlotSet("survey", None), SlotSet("survey_progress", None),
         SlotSet("survey_answer", None)]


class ActionOfferSurveys(Action):
    """Answers give_feedback: the surveys to answer, and where the ideas box is."""

    def name(self) -> str:
        return "action_offer_surveys"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        lang = language_of(tracker)
        with catalogue().sessions() as db:
            detainee = signed_in_detainee(db, tracker)
            if detainee is None:
                dispatcher.utter_message(response="utter_sign_in_for_surveys")
                return []
            todo = [survey for survey in surveys.open_surveys(db, detainee, _today())
                    if not surveys.has_answered(db, _secret(), survey, detainee)]
            buttons = [{"title": in_language(survey.title, lang),
                        "payload": f'/answer_survey{{"survey": "{survey.id}"}}'}
                       for survey in todo]
        if buttons:
            dispatcher.utter_message(response="utter_survey_offer", buttons=buttons)
        else:
            dispatcher.utter_message(response="utter_no_surveys")
        dispatcher.utter_message(response="utter_ideas_box")
        return []


class ValidateSurveyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_survey_form"

    async def required_slots(self, domain_slots, dispatcher, tracker, domain):
        """The answer slot while questions remain; none (the form ends) when the survey
        is done or cannot be answered (the submit action says why)."""
        with catalogue().sessions() as db:
            survey = current_survey(db, tracker)
            if survey is None or progress_of(tracker)["step"] >= len(survey.questions):
                return []
        return domain_slots

    def validate_survey_answer(self, value: Any, dispatcher: CollectingDispatcher,
                               tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        progress = progress_of(tracker)
        with catalogue().sessions() as db:
            survey = current_survey(db, tracker)
            if survey is None:
                return {"survey_answer": None}
            question = survey.questions[progress["step"]]
            try:
                take_answer(question, str(value).strip(), progress, language_of(tracker))
            except surveys.SurveyError as error:
                dispatcher.utter_message(response="utter_survey_too_long"
                                         if str(error) == surveys.TOO_LONG
                                         else "utter_survey_choose")
        return {"survey_answer": None, "survey_progress": progress}


class ActionAskSurveyAnswer(Action):
    """Asks the current question, with its answers as buttons and a "Skip" button."""

    def name(self) -> str:
        return "action_ask_survey_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        lang, progress = language_of(tracker), progress_of(tracker)
        with catalogue().sessions() as db:
            survey = current_survey(db, tracker)
            if survey is None or progress["step"] >= len(survey.questions):
                return []
            question = survey.questions[progress["step"]]
            labels = surveys.option_labels(question, lang)
            picked = ", ".join(labels[index] for index in progress["picked"])
            dispatcher.utter_message(
                response=f"utter_survey_question_{question.kind}" + ("_picked" if picked else ""),
                number=progress["step"] + 1, total=len(survey.questions),
                question=in_language(question.text, lang), picked=picked,
                buttons=answer_buttons(question, progress, lang))
        return []


class ActionSubmitSurvey(Action):
    def name(self) -> str:
        return "action_submit_survey"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        answers = {int(key): value for key, value in progress_of(tracker)["answers"].items()}
        with catalogue().sessions() as db:
            detainee = signed_in_detainee(db, tracker)
            survey = detainee and surveys.survey_for(db, tracker.get_slot("survey"), detainee,
                                                     _today())
            if detainee is None:
                response = "utter_sign_in_for_surveys"
            elif survey is None:
                response = "utter_survey_closed"
            elif surveys.has_answered(db, _secret(), survey, detainee):
                response = "utter_survey_already_answered"
            else:
                response = record(db, survey, detainee, answers)
        dispatcher.utter_message(response=response)
        return RESET


class ActionStopSurvey(Action):
    def name(self) -> str:
        return "action_stop_survey"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_form_stopped")
        return RESET


# Helpers -------------------------------------------------------------------------

def _today():
    return local_today(settings().timezone)


def _secret() -> str:
    return settings().secret_key()


def progress_of(tracker: Tracker) -> dict:
    """How far the person is in the survey of the `survey` slot (a new start for another)."""
    survey = tracker.get_slot("survey")
    progress = tracker.get_slot("survey_progress") or {}
    if progress.get("survey") != survey:
        return {"survey": survey, "step": 0, "answers": {}, "picked": []}
    return {**progress, "answers": dict(progress["answers"]), "picked": list(progress["picked"])}


def current_survey(db, tracker: Tracker):
    """The survey being answered, if the signed-in person may (still) answer it."""
    detainee = signed_in_detainee(db, tracker)
    if detainee is None:
        return None
    survey = surveys.survey_for(db, tracker.get_slot("survey"), detainee, _today())
    if survey is None or surveys.has_answered(db, _secret(), survey, detainee):
        return None
    return survey


def take_answer(question, value: str, progress: dict, lang: str) -> None:
    """Applies one reply to the progress: an answer (then the next question), a skip, or for
    several choices one more option ("done" ends it). SurveyError if it is no answer."""
    if value.startswith("/"):  # another button's payload, not an answer
        raise surveys.SurveyError(N_("Choose one of the answers."))
    if question.kind == "choices" and value not in (SKIP, DONE):
        index = _option_index(question, value, lang)
        picked = progress["picked"]
        if index in picked:  # a second tap takes it back
            picked.remove(index)
        else:
            picked.append(index)
        return
    answer = None
    if value == DONE:
        answer = progress["picked"] or None
    elif value != SKIP:
        answer = value if question.kind == "text" else _option_index(question, value, lang)
        if question.kind == "scale":
            answer += 1  # the scale's value, not an index
    checked = surveys.check_answer(question, answer)
    if checked is not None:
        progress["answers"][str(question.id)] = checked
    progress["step"] += 1
    progress["picked"] = []


def _option_index(question, value: str, lang: str) -> int:
    """A button's (or a typed) number from 1, or an answer's text typed in full."""
    labels = surveys.option_labels(question, lang)
    if question.kind == "scale":
        labels = [translations(lang).gettext(label) for label in labels]
    if value.isdigit() and 1 <= int(value) <= len(labels):
        return int(value) - 1
    typed = value.casefold()
    for index, label in enumerate(labels):
        if typed == label.casefold():
            return index
    raise surveys.SurveyError(N_("Choose one of the answers."))


def answer_buttons(question, progress: dict, lang: str) -> list[dict]:
    gettext = translations(lang).gettext
    if question.kind == "scale":
        titles = [f"{value} {gettext(label)}" for value, label in SCALE.items()]
    elif question.kind in surveys.CHOICE_KINDS:
        titles = surveys.option_labels(question, lang)
        titles = [f"✓ {title}" if index in progress["picked"] else title
                  for index, title in enumerate(titles)]
    else:
        titles = []
    buttons = [_button(title, str(number)) for number, title in enumerate(titles, start=1)]
    if question.kind == "choices":
        buttons.append(_button(gettext(DONE_TITLE), DONE))
    return [*buttons, _button(gettext(SKIP_TITLE), SKIP)]


def _button(title: str, value: str) -> dict:
    return {"title": title, "payload": f'/inform{{"survey_value": "{value}"}}'}


def record(db, survey, detainee, answers: dict) -> str:
    """Keeps the answers; the response that says how it went."""
    try:
        surveys.record(db, _secret(), survey, detainee, answers, _today())
    except surveys.AlreadyAnswered:
        return "utter_survey_already_answered"
    except surveys.SurveyError:
        return "utter_survey_nothing"
    return "utter_survey_thanks"
