"""The chat endpoint: relays a message to Rasa's REST channel and shapes the replies.

Devices never talk to Rasa. The conversation is identified by a random cookie; Rasa
only sees a keyed hash of it (the sender id), and in the message metadata the language
and, when someone is signed in, a signed reference to their session (kiosk/sessions.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets

import aiohttp
from sanic import Request
from sanic.response import HTTPResponse, json

from kiosk.errors import ApiError, json_object
from kiosk.i18n import check_language
from kiosk.sessions import detainee_reference
from wegwijzer.i18n import N_, translations
from wegwijzer.languages import LANGUAGES, NATIVE_NAMES

logger = logging.getLogger(__name__)

CHAT_COOKIE = "wz_chat"
REPLY_LANGUAGE_COOKIE = "wz_reply_lang"
MAX_MESSAGE_LENGTH = 1000


class AssistantUnavailable(Exception):
    pass


class RasaClient:
    def __init__(self, rasa_url: str, timeout: float = 30):
        self.webhook = f"{rasa_url}/webhooks/rest/webhook"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self.session = aiohttp.ClientSession(timeout=self.timeout)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def send(self, sender: str, message: str, metadata: dict) -> list[dict]:
        body = {"sender": sender, "message": message, "metadata": metadata}
        try:
            async with self.session.post(self.webhook, json=body) as response:
                response.raise_for_status()
                return await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("assistant unavailable: %s", error)
            raise AssistantUnavailable from error


async def chat(request: Request) -> HTTPResponse:
    message, kiosk_lang = _read_body(request)
    lang = _reply_language(request, message, kiosk_lang)
    request.ctx.lang = lang
    token = request.cookies.get(CHAT_COOKIE) or secrets.token_urlsafe(24)
    try:
        messages = await request.app.ctx.rasa.send(
            _sender_id(request, token), message,
            {"lang": lang, "detainee": detainee_reference(request)})
    except AssistantUnavailable as error:
        raise ApiError(503, "assistant_unavailable",
                       N_("The chat assistant is not available right now. "
                          "You can still search and read about all services.")) from error
    replies = _replies(messages)
    _add_domains(replies, request.app.ctx.catalogue)
    if lang != kiosk_lang:
        replies.append(_switch_offer(lang))
    response = json({"replies": replies})
    response.cookies[REPLY_LANGUAGE_COOKIE] = lang
    response.cookies[REPLY_LANGUAGE_COOKIE]["samesite"] = "Strict"
    if CHAT_COOKIE not in request.cookies:
        response.cookies[CHAT_COOKIE] = token
        response.cookies[CHAT_COOKIE]["httponly"] = True
        response.cookies[CHAT_COOKIE]["samesite"] = "Strict"
    return response


def _reply_language(request: Request, message: str, kiosk_lang: str) -> str:
    """The language the message is written in when the detector is sure, else the kiosk's.
    A button's payload ("/affirm", "/inform{...}") is in no language: it keeps the
    language of the conversation's last reply."""
    if message.startswith("/"):
        previous = request.cookies.get(REPLY_LANGUAGE_COOKIE)
        return previous if previous in LANGUAGES else kiosk_lang
    return request.app.ctx.detector.detect(message) or kiosk_lang


def _switch_offer(lang: str) -> dict:
    """Offers to switch the whole kiosk to `lang`. The page handles "lang:" payloads itself."""
    text = translations(lang).gettext("Do you want to use Wegwijzer in %(language)s?")
    return {
        "text": text % {"language": NATIVE_NAMES[lang]},
        "buttons": [{"title": NATIVE_NAMES[lang], "payload": f"lang:{lang}"}],
        "services": [],
    }


def _read_body(request: Request) -> tuple[str, str]:
    body = json_object(request, N_("Send a JSON object with a message and a language."))
    lang = check_language(body.get("lang"))
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        raise ApiError(400, "empty_message",
                       N_("Type a message first."))
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ApiError(400, "message_too_long",
                       N_("The message is too long. Please keep it shorter."))
    return message.strip(), lang


def _sender_id(request: Request, token: str) -> str:
    key = request.app.ctx.secret_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()[:32]


def _replies(messages: list[dict]) -> list[dict]:
    """Rasa's REST channel sends a reply's text and its custom data as two messages:
    put the services back with the text they belong to."""
    replies = []
    for message in messages:
        reply = _reply(message)
        if replies and not reply["text"] and not reply["buttons"]:
            replies[-1]["services"].extend(reply["services"])
        else:
            replies.append(reply)
    return replies


def _add_domains(replies: list[dict], catalogue) -> None:
    """Each service's domain, for its icon and colour on the page."""
    services = [service for reply in replies for service in reply["services"]]
    if services:
        domains = catalogue.domains()
        for service in services:
            service["domain"] = domains.get(service["slug"])


def _reply(message: dict) -> dict:
    custom = message.get("custom") or {}
    return {
        "text": message.get("text") or "",
        "buttons": [
            {"title": button.get("title", ""), "payload": button.get("payload", "")}
            for button in message.get("buttons") or []
        ],
        "services": [
            {"slug": service["slug"], "name": service["name"],
             "summary": service.get("summary", "")}
            for service in custom.get("services", [])
        ],
    }
