"""Read-aloud: speech made on this machine by espeak-ng, kept in the data directory."""

import asyncio
import io
import os
import re
import shutil
import uuid
import wave

import pytest
from playwright.sync_api import expect

from kiosk.speech import MAX_TEXT_LENGTH, Speaker, SpeechUnavailable, service_text, spoken
from tests.test_api import assert_error
from wegwijzer.i18n import translations
from wegwijzer.languages import LANGUAGES

# A sentence in each language, as an assistant reply would say it.
REPLIES = {
    "nl": "Ik heb deze diensten gevonden.",
    "fr": "J'ai trouvé ces services.",
    "en": "I found these services.",
    "ar": "وجدت هذه الخدمات.",
    "tr": "Bu hizmetleri buldum.",
    "pl": "Znalazłem te usługi.",
    "ro": "Am găsit aceste servicii.",
}
CSRF_DATA = re.compile(r'data-csrf="([0-9a-f]+)"')


@pytest.fixture(scope="module", autouse=True)
def espeak_ng():
    assert shutil.which("espeak-ng"), "espeak-ng is missing: ./run test installs it (as root)"


def frames(audio: bytes) -> int:
    """The number of audio frames of a WAV file (raises when it is not one)."""
    with wave.open(io.BytesIO(audio)) as recording:
        assert recording.getnchannels() == 1 and recording.getframerate() > 0
        return recording.getnframes()


def speech_token(client, kiosk) -> str:
    """The CSRF token a page gives its script (the chat panel's data-csrf)."""
    return CSRF_DATA.search(client.get(f"{kiosk}/?lang=en").text).group(1)


def post_speech(client, kiosk, body, token=None):
    headers = {"X-CSRF-Token": token or speech_token(client, kiosk)}
    return client.post(f"{kiosk}/api/speech", json=body, headers=headers)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_service_page_is_read_aloud_in_each_language(kiosk, client, catalogue, data_dir, lang):
    response = client.get(f"{kiosk}/api/speech/services/caw-wonen", params={"lang": lang})
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert frames(response.content) > 22050  # more than a second of speech
    # Kept in the data directory, under a hash of its language and text.
    page = catalogue.service("caw-wonen", lang)
    assert page.lang == lang
    key = Speaker.key(lang, service_text(page))
    assert (data_dir / "speech" / f"{key}.wav").read_bytes() == response.content


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_assistant_reply_is_read_aloud_in_each_language(kiosk, client, lang):
    text = f"{REPLIES[lang]} {uuid.uuid4().hex[:6]}"
    response = post_speech(client, kiosk, {"text": text, "lang": lang})
    assert response.status_code == 200
    url = response.json()["url"]
    assert re.fullmatch(r"/api/speech/[0-9a-f]{64}", url)
    audio = client.get(f"{kiosk}{url}")
    assert audio.headers["content-type"] == "audio/wav"
    assert frames(audio.content) > 0


def test_the_same_text_twice_comes_from_the_cache(kiosk, client, data_dir):
    token = speech_token(client, kiosk)
    text = f"Only once, please. {uuid.uuid4().hex}"
    first = post_speech(client, kiosk, {"text": text, "lang": "en"}, token)
    assert first.headers["X-Speech-Cache"] == "miss"
    recording = data_dir / "speech" / f"{first.json()['url'].rsplit('/', 1)[1]}.wav"
    made = recording.stat()
    # The same words, spaced differently, are the same text.
    second = post_speech(client, kiosk, {"text": f"  {text.replace(' ', '   ')} ", "lang": "en"},
                         token)
    assert second.headers["X-Speech-Cache"] == "hit"
    assert second.json() == first.json()
    assert recording.stat().st_ino == made.st_ino  # not made again
    # Another language is another recording.
    other = post_speech(client, kiosk, {"text": text, "lang": "nl"}, token)
    assert other.headers["X-Speech-Cache"] == "miss"
    assert other.json() != first.json()


def test_a_service_page_twice_comes_from_the_cache(kiosk, client):
    url = f"{kiosk}/api/speech/services/sportaanbod"
    first = client.get(url, params={"lang": "tr"})
    second = client.get(url, params={"lang": "tr"})
    assert second.headers["X-Speech-Cache"] == "hit"
    assert second.content == first.content


def test_bad_input_gives_json_errors(kiosk, client):
    token = speech_token(client, kiosk)
    url = f"{kiosk}/api/speech"
    assert_error(client.post(url, json={"text": "Hello", "lang": "en"}), 403, "csrf_failed")
    headers = {"X-CSRF-Token": token}
    assert_error(client.post(url, content=b"not json", headers=headers), 400, "invalid_json")
    assert_error(client.post(url, json=["Hello"], headers=headers), 400, "invalid_json")
    assert_error(client.post(url, json={"text": "Hallo", "lang": "de"}, headers=headers),
                 400, "unsupported_language")
    assert_error(client.post(url, json={"text": "  ", "lang": "en"}, headers=headers),
                 400, "empty_text")
    assert_error(client.post(url, json={"text": 42, "lang": "en"}, headers=headers),
                 400, "empty_text")
    assert_error(client.post(url, json={"text": "a" * (MAX_TEXT_LENGTH + 1), "lang": "en"},
                             headers=headers), 400, "text_too_long")


def test_nothing_for_an_unknown_service_or_recording(kiosk, client):
    assert_error(client.get(f"{kiosk}/api/speech/services/no-such-service",
                            params={"lang": "en"}), 404, "unknown_service")
    assert_error(client.get(f"{kiosk}/api/speech/services/caw-wonen", params={"lang": "xx"}),
                 400, "unsupported_language")
    assert_error(client.get(f"{kiosk}/api/speech/{'0' * 64}"), 404, "unknown_recording")
    assert client.get(f"{kiosk}/api/speech/..%2Fwegwijzer.db").status_code == 404


def test_a_service_is_read_with_its_name_summary_who_for_description_and_how_to_ask(catalogue):
    page = catalogue.service("caw-wonen", "en")
    text = service_text(page)
    for part in (page.name, page.summary, "Who it is for", page.who_for, page.description,
                 "How to ask", page.how_to_access):
        assert part in text


def test_without_espeak_ng_reading_aloud_is_unavailable(tmp_path):
    speaker = Speaker(tmp_path, program="no-such-espeak-ng")
    with pytest.raises(SpeechUnavailable):
        asyncio.run(speaker.speak("en", "Hello"))
    assert list(tmp_path.iterdir()) == []


def test_the_least_recently_played_recordings_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr("kiosk.speech.MAX_RECORDINGS", 2)
    speaker = Speaker(tmp_path)
    one, _ = asyncio.run(speaker.speak("en", "one"))
    two, _ = asyncio.run(speaker.speak("en", "two"))
    os.utime(one, (1, 1))
    os.utime(two, (2, 2))
    asyncio.run(speaker.speak("en", "one"))  # played again: now the most recent
    three, _ = asyncio.run(speaker.speak("en", "three"))
    assert sorted(tmp_path.iterdir()) == sorted([one, three])


@pytest.mark.browser
def test_the_read_aloud_button_of_a_service_page_plays_it(kiosk, browser):
    page = browser.new_page()
    page.goto(f"{kiosk}/services/caw-wonen?lang=pl")
    button = page.locator("article.service a.read-aloud")
    with page.expect_response(lambda r: "/api/speech/services/caw-wonen" in r.url) as audio:
        button.click()
    assert audio.value.status == 200
    assert audio.value.headers["content-type"] == "audio/wav"
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_contain_text(translations("pl").gettext("Stop"))
    button.click()  # pressed again: stops
    expect(button).to_have_attribute("aria-pressed", "false")
    assert page.locator("#read-aloud-audio").evaluate("audio => audio.paused")
    page.close()


@pytest.mark.browser
def test_an_assistant_reply_is_read_aloud_in_its_language(kiosk, browser):
    page = browser.new_page()
    page.goto(f"{kiosk}/?lang=nl")
    # A French reply kept from earlier in the conversation (no assistant runs here).
    reply = {"text": REPLIES["fr"], "buttons": [],
             "services": [{"slug": "caw-wonen", "name": "Logement", "domain": "wonen"}]}
    page.evaluate("entry => sessionStorage.setItem('wz_chat_log', JSON.stringify([entry]))",
                  {"reply": reply, "lang": "fr"})
    page.reload()
    card = page.locator("#chat-messages li.service-card.domain-wonen")
    expect(card.locator("img[src='/static/icons/domain-wonen.svg']")).to_be_visible()
    with page.expect_request(lambda r: r.url.endswith("/api/speech")) as made:
        page.click("#chat-messages li.from-bot button.read-aloud")
    assert made.value.post_data_json == {"text": f"{REPLIES['fr']}\nLogement", "lang": "fr"}
    assert made.value.headers["x-csrf-token"]
    audio = page.locator("#read-aloud-audio")
    expect(audio).to_have_attribute("src", re.compile(r"^/api/speech/[0-9a-f]{64}$"))
    page.close()


def test_each_line_is_read_as_a_sentence_of_its_own():
    assert spoken("Bonjour,  je peux vous aider.\n\n  Logement \nSport?") == \
        "Bonjour, je peux vous aider.\nLogement.\nSport?"
