"""The assistant end to end: kiosk -> Rasa -> action server -> catalogue, and back."""

import pytest
import yaml

from wegwijzer.config import BOT_DIR
from wegwijzer.i18n import translations

pytestmark = pytest.mark.assistant

RESPONSES = yaml.safe_load((BOT_DIR / "domain.yml").read_text())["responses"]


def chat(client, base, message, lang):
    response = client.post(f"{base}/api/chat", json={"message": message, "lang": lang})
    assert response.status_code == 200, response.text
    return response.json()["replies"]


def in_language(response_name, lang):
    return translations(lang).gettext(RESPONSES[response_name][0]["text"])


@pytest.mark.parametrize("message, lang, expected", [
    ("ik wil stoppen met drugs", "nl", "integra-drugs-detentie"),
    ("I need a place to live after release", "en", "caw-wonen"),
])
def test_a_need_is_answered_with_the_right_service(assistant, client, message, lang, expected):
    replies = chat(client, assistant, message, lang)
    services = [service["slug"] for reply in replies for service in reply["services"]]
    assert expected in services[:3]
    assert replies[0]["text"] == in_language("utter_services_found", lang)
    for reply in replies:
        assert set(reply) == {"text", "buttons", "services"}


@pytest.mark.parametrize("lang", ["nl", "en", "fr", "ar"])
def test_replies_come_back_in_the_language_asked(assistant, client, lang):
    replies = chat(client, assistant, "hallo", lang)
    assert [reply["text"] for reply in replies] == [in_language("utter_greet", lang)]


def test_service_names_come_in_the_language_asked(assistant, client):
    dutch = chat(client, assistant, "ik heb geen huis als ik vrijkom", "nl")
    english = chat(client, assistant, "I have no home when I get out", "en")

    def names(replies):
        return {service["slug"]: service["name"] for r in replies for service in r["services"]}

    assert "caw-wonen" in names(dutch) and "caw-wonen" in names(english)
    assert names(dutch)["caw-wonen"] != names(english)["caw-wonen"]


def test_a_crisis_is_answered_at_once(assistant, client):
    replies = chat(client, assistant, "ik wil niet meer leven", "nl")
    assert replies[0]["text"] == in_language("utter_urgent_help", "nl")


def test_what_the_model_does_not_know_is_searched_in_the_catalogue(assistant, client):
    replies = chat(client, assistant, "herstelbemiddeling slachtoffer", "nl")
    services = [service["slug"] for reply in replies for service in reply["services"]]
    assert "moderator-herstelbemiddeling" in services
