"""The kiosk's JSON API: the contract's shapes, and errors that are JSON, never a trace."""

import pytest
from sqlalchemy import select

from knowledge.content import TEXT_FIELDS
from knowledge.models import Service, ServiceText
from wegwijzer.i18n import translations


def assert_error(response, status, code):
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert "Traceback" not in response.text
    return body["error"]["message"]


def test_search_returns_ranked_results(kiosk, client):
    response = client.get(f"{kiosk}/api/services", params={"q": "ik zoek werk", "lang": "nl"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results
    for result in results:
        assert {"slug", "name", "summary", "score"} <= set(result)
        assert isinstance(result["score"], float)
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True)


def test_without_a_query_the_whole_catalogue_is_listed(kiosk, client):
    results = client.get(f"{kiosk}/api/services", params={"lang": "en"}).json()["results"]
    assert len(results) == 36
    assert [r["name"].casefold() for r in results] == sorted(r["name"].casefold() for r in results)


def test_one_service_in_the_language_asked(kiosk, client):
    body = client.get(f"{kiosk}/api/services/caw-wonen", params={"lang": "en"}).json()
    assert body["slug"] == "caw-wonen"
    assert body["lang"] == "en"
    assert body["domain"] == "wonen"
    assert body["name"] and body["description"] and body["how_to_access"]
    dutch = client.get(f"{kiosk}/api/services/caw-wonen", params={"lang": "nl"}).json()
    assert dutch["lang"] == "nl" and dutch["name"] != body["name"]


def test_a_service_without_text_in_the_language_says_which_language_it_is_in(
        kiosk, client, catalogue):
    with catalogue.sessions() as session:
        service = session.scalar(select(Service).where(Service.slug == "caw-wonen"))
        turkish = service.texts.pop("tr")
        session.commit()
        try:
            body = client.get(f"{kiosk}/api/services/caw-wonen", params={"lang": "tr"}).json()
            assert body["lang"] == "en" and "tr" not in body["languages"]
        finally:
            service.texts["tr"] = ServiceText(
                lang="tr", **{field: getattr(turkish, field) for field in TEXT_FIELDS})
            session.commit()
    restored = client.get(f"{kiosk}/api/services/caw-wonen", params={"lang": "tr"}).json()
    assert restored["lang"] == "tr"


def test_an_unknown_language_is_a_400(kiosk, client):
    response = client.get(f"{kiosk}/api/services", params={"q": "werk", "lang": "xx"})
    assert_error(response, 400, "unsupported_language")
    response = client.get(f"{kiosk}/api/services/caw-wonen", params={"lang": "de"})
    assert_error(response, 400, "unsupported_language")


def test_an_unknown_service_is_a_404_in_the_readers_language(kiosk, client):
    response = client.get(f"{kiosk}/api/services/no-such-service", params={"lang": "fr"})
    message = assert_error(response, 404, "unknown_service")
    assert message == translations("fr").gettext("This service does not exist.")
    assert message != "This service does not exist."


def test_unknown_api_paths_and_methods_are_json_errors(kiosk, client):
    assert_error(client.get(f"{kiosk}/api/nothing"), 404, "not_found")
    assert_error(client.delete(f"{kiosk}/api/services"), 405, "method_not_allowed")


def test_an_overlong_query_is_refused(kiosk, client):
    response = client.get(f"{kiosk}/api/services", params={"q": "werk " * 100, "lang": "nl"})
    assert_error(response, 400, "query_too_long")


@pytest.mark.parametrize("body, code", [
    (b"not json", "invalid_json"),
    (b"[1, 2]", "invalid_json"),
    (b'{"message": "hallo"}', "unsupported_language"),
    (b'{"message": "hallo", "lang": "xx"}', "unsupported_language"),
    (b'{"message": "   ", "lang": "nl"}', "empty_message"),
    (b'{"message": 12, "lang": "nl"}', "empty_message"),
])
def test_bad_chat_bodies_are_refused(kiosk, client, body, code):
    response = client.post(f"{kiosk}/api/chat", content=body,
                           headers={"content-type": "application/json"})
    assert_error(response, 400, code)


def test_an_overlong_chat_message_is_refused(kiosk, client):
    response = client.post(f"{kiosk}/api/chat", json={"message": "a" * 1001, "lang": "nl"})
    assert_error(response, 400, "message_too_long")


def test_chat_says_plainly_when_the_assistant_is_down(kiosk, client):
    # This kiosk has no Rasa behind it.
    response = client.post(f"{kiosk}/api/chat", json={"message": "hallo", "lang": "ar"})
    message = assert_error(response, 503, "assistant_unavailable")
    assert message == translations("ar").gettext(
        "The chat assistant is not available right now. "
        "You can still search and read about all services.")


def test_pages_still_work_without_the_assistant(kiosk, client):
    response = client.get(f"{kiosk}/", params={"q": "werk", "lang": "nl"})
    assert response.status_code == 200
    assert "vdab-loopbaan" in response.text


def test_responses_carry_a_strict_content_security_policy(kiosk, client):
    for path in ("/", "/api/services", "/services/caw-wonen"):
        policy = client.get(f"{kiosk}{path}").headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy


def test_the_nlg_endpoint_renders_a_response_in_the_language_of_the_message(kiosk, client):
    tracker = {"latest_message": {"metadata": {"lang": "pl"}}, "slots": {}}
    response = client.post(f"{kiosk}/nlg", json={
        "response": "utter_goodbye", "arguments": {}, "tracker": tracker,
        "channel": {"name": "rest"}})
    assert response.status_code == 200
    assert response.json()["text"] == translations("pl").gettext("Goodbye. Take care of yourself.")
    unknown = client.post(f"{kiosk}/nlg", json={"response": "utter_nothing", "tracker": tracker})
    assert_error(unknown, 404, "unknown_response")
