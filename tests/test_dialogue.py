"""The assistant's conversations through /api/chat: languages, the appointment form, the
crisis rule, prison matters, what help costs and the honest fallback."""

import subprocess
import sys
import uuid

import httpx
import pytest
import yaml
from sqlalchemy import select

from kiosk.models import Detainee, HelpRequest
from knowledge import editing
from knowledge.models import Service, UnansweredQuestion
from tests.conftest import new_detainee, new_staff, sign_in
from wegwijzer.config import BOT_DIR
from wegwijzer.i18n import translations

pytestmark = pytest.mark.assistant

RESPONSES = yaml.safe_load((BOT_DIR / "domain.yml").read_text())["responses"]


def text_of(response_name, lang, **values):
    return translations(lang).gettext(RESPONSES[response_name][0]["text"]).format(**values)


class Conversation:
    """One person at the kiosk: a cookie jar of their own."""

    def __init__(self, base, lang):
        self.base, self.lang = base, lang
        self.http = httpx.Client(timeout=60)

    def say(self, message):
        response = self.http.post(f"{self.base}/api/chat",
                                  json={"message": message, "lang": self.lang})
        assert response.status_code == 200, response.text
        return response.json()["replies"]


def texts(replies):
    return [reply["text"] for reply in replies]


def test_a_message_in_another_language_is_answered_in_it_with_an_offer_to_switch(assistant):
    replies = Conversation(assistant, "nl").say("je cherche un logement pour ma sortie")
    assert texts(replies)[0] == text_of("utter_services_found", "fr")
    offer = replies[-1]
    assert offer["buttons"] == [{"title": "Français", "payload": "lang:fr"}]


def test_buttons_keep_the_language_of_the_conversation(assistant):
    person = Conversation(assistant, "nl")
    person.say("je voudrais un rendez-vous avec quelqu'un du CAW")
    replies = person.say('/inform{"service": "caw-jww-onthaal"}')
    assert texts(replies)[0] == text_of("utter_ask_description", "fr")


def test_the_appointment_form_from_start_to_end(assistant, catalogue):
    person = Conversation(assistant, "nl")
    replies = person.say("ik wil een afspraak aanvragen")
    assert texts(replies) == [text_of("utter_ask_service", "nl")]
    # The frontoffice is always offered: "I don't know, the frontoffice decides".
    payloads = [button["payload"] for button in replies[0]["buttons"]]
    assert '/inform{"service": "radar-frontoffice"}' in payloads

    assert texts(person.say('/inform{"service": "caw-wonen"}')) == [
        text_of("utter_ask_description", "nl")]
    assert texts(person.say("ik heb geen woning als ik vrijkom")) == [
        text_of("utter_ask_interpreter", "nl")]
    assert texts(person.say("/deny")) == [
        text_of("utter_ask_consent", "nl", service_name="Wonen na je vrijlating")]
    assert texts(person.say("/affirm")) == [text_of(
        "utter_ask_confirmed", "nl", service_name="Wonen na je vrijlating",
        description="ik heb geen woning als ik vrijkom")]
    # Not signed in: the answers wait until the person signs in and taps "send".
    assert texts(person.say("/affirm")) == [text_of("utter_sign_in_to_send", "nl")]
    number = new_detainee(catalogue.sessions)
    sign_in(person.http, assistant, number)
    final = person.say("/submit_request")
    with catalogue.sessions() as db:
        filed = db.scalar(select(HelpRequest).join(HelpRequest.detainee)
                          .where(Detainee.number == number))
        assert (filed.service.slug, filed.about, filed.lang, filed.consent, filed.interpreter) \
            == ("caw-wonen", "ik heb geen woning als ik vrijkom", "nl", True, False)
    assert texts(final) == [text_of("utter_request_filed", "nl",
                                    service_name="Wonen na je vrijlating", ref=filed.ref)]
    # Where does it stand? The person's requests, in their language.
    status = texts(person.say("/request_status"))
    assert status == [text_of("utter_request_state", "nl", service_name="Wonen na je vrijlating",
                              state=translations("nl").gettext("Sent"))]
    # Tapping "send" again files nothing new.
    assert texts(person.say("/submit_request")) == [text_of("utter_nothing_to_send", "nl")]


def test_request_status_needs_a_sign_in(assistant):
    assert texts(Conversation(assistant, "fr").say("elle en est ou ma demande")) == [
        text_of("utter_sign_in_to_see", "fr")]


def test_an_appointment_about_a_topic_proposes_the_matching_services(assistant):
    replies = Conversation(assistant, "nl").say("ik wil me inschrijven voor de les nederlands")
    assert texts(replies) == [text_of("utter_ask_service", "nl")]
    payloads = [button["payload"] for button in replies[0]["buttons"]]
    assert '/inform{"service": "cvo-nederlands"}' in payloads


def test_an_appointment_button_skips_the_service_question(assistant):
    person = Conversation(assistant, "en")
    replies = person.say('/book_appointment{"service": "vdab-loopbaan"}')
    assert texts(replies) == [text_of("utter_ask_description", "en")]


def test_stop_halfway(assistant):
    person = Conversation(assistant, "en")
    person.say("i want an appointment")
    assert texts(person.say("stop")) == [text_of("utter_form_stopped", "en")]


def test_a_crisis_in_the_middle_of_the_form_is_answered_at_once(assistant):
    person = Conversation(assistant, "nl")
    person.say('/book_appointment{"service": "eerstelijnspsycholoog"}')
    replies = person.say("ik wil niet meer leven")
    assert texts(replies)[0] == text_of("utter_urgent_help", "nl")


def test_prison_matters_are_sent_to_the_prison_channels(assistant):
    replies = Conversation(assistant, "nl").say("ik wil naar de dokter van de gevangenis")
    assert texts(replies)[0] == text_of("utter_prison_service", "nl")


def test_a_follow_up_keeps_the_topic(assistant):
    person = Conversation(assistant, "nl")
    person.say("ik heb schulden")
    replies = person.say("en na mijn vrijlating?")
    services = [s["slug"] for reply in replies for s in reply["services"]]
    assert "ocmw-sociaal-huis" in services


def test_a_cost_question_answers_for_the_services_just_shown(assistant):
    person = Conversation(assistant, "nl")
    shown = [s["name"] for reply in person.say("ik heb geen geld voor een advocaat")
             for s in reply["services"]]
    assert "Gratis juridisch advies" in shown
    # One line per answer; where the catalogue does not know, it says so rather than guess.
    others = [name for name in shown if name != "Gratis juridisch advies"]
    assert len(others) == 2
    assert sorted(texts(person.say("is dat gratis?"))) == sorted([
        text_of("utter_cost_free", "nl", services="Gratis juridisch advies"),
        text_of("utter_cost_unknown", "nl", services=f"{others[0]} en {others[1]}"),
    ])


def test_a_cost_question_naming_a_service_answers_for_that_one(assistant):
    replies = Conversation(assistant, "en").say("is the lawyer free?")
    assert texts(replies) == [text_of("utter_cost_free", "en", services="Free legal advice"),
                              text_of("utter_services_found", "en")]
    # Not shown before, so shown now: to read more or to ask for an appointment.
    assert [s["slug"] for reply in replies for s in reply["services"]] == \
        ["juridische-eerstelijnsbijstand"]


def test_what_nothing_answers_is_said_honestly_and_kept_for_the_staff(assistant, catalogue):
    question = "xqzv wlorp gnarf"
    replies = Conversation(assistant, "en").say(question)
    assert texts(replies) == [text_of("utter_no_services_found", "en")]
    payloads = [button["payload"] for button in replies[0]["buttons"]]
    assert '/inform{"domain": "wonen"}' in payloads and len(payloads) == 10
    with catalogue.sessions() as session:
        kept = session.scalars(select(UnansweredQuestion).where(
            UnansweredQuestion.text == question)).all()
    assert [(row.lang, row.text) for row in kept] == [("en", question)]
    assert set(UnansweredQuestion.__table__.columns.keys()) == {"id", "text", "lang", "asked_at"}


def test_a_subject_button_lists_that_domains_services(assistant):
    replies = Conversation(assistant, "en").say('/inform{"domain": "sport"}')
    assert {s["slug"] for s in replies[0]["services"]} == {"dra-start-to-coach", "sportaanbod"}


def test_rasa_validates_the_bot_and_passes_its_test_stories(assistant_model, tmp_path):
    bot = [f"--domain={BOT_DIR / 'domain.yml'}", f"--config={assistant_model.config}"]
    validate = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", *bot, f"--data={BOT_DIR / 'data'}"],
        capture_output=True, text=True, env=assistant_model.env)
    assert validate.returncode == 0, validate.stdout[-3000:]
    test = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", f"--model={assistant_model.path}",
         f"--stories={BOT_DIR / 'tests'}", f"--out={tmp_path}", "--fail-on-prediction-errors"],
        capture_output=True, text=True, env=assistant_model.env)
    assert test.returncode == 0, (test.stdout + test.stderr)[-4000:]


def test_a_catalogue_change_reaches_the_assistant_without_restart_or_training(assistant,
                                                                              catalogue, db):
    coordinator = new_staff(db, "coordinator")
    slug = f"imker-{uuid.uuid4().hex[:4]}"
    with db() as session:
        editing.add_service(session, slug, "vormingplus-limburg", {
            "name": "Bijenhouden", "summary": "Leer bijen houden in de tuin van de gevangenis.",
            "who_for": "Voor iedereen in de gevangenis.",
            "description": "Je leert hoe een bijenkast werkt en oogst honing.",
            "how_to_access": "Vraag het via de frontoffice.", "keywords": "bijen, imker, honing",
            "domain": "cultuur", "access": "frontoffice", "answer_days": "14"}, coordinator)
    catalogue.refresh_index()  # what the console does after every save
    try:
        replies = Conversation(assistant, "nl").say("ik wil graag leren over bijen en honing")
        assert slug in [service["slug"] for reply in replies for service in reply["services"]]
    finally:  # other tests count on the 36 services of the catalogue files
        with db() as session:
            session.delete(session.scalar(select(Service).where(Service.slug == slug)))
            session.commit()
        catalogue.refresh_index()
