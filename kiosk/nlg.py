"""Rasa's NLG endpoint: renders a response of bot/domain.yml in the user's language.

Rasa posts {"response": name, "arguments": {...}, "tracker": {...}} for every utterance.
The domain's English text is the gettext message id; the language is the one the kiosk
put in the latest user message's metadata (kiosk/chat.py).
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from sanic import Request
from sanic.response import HTTPResponse, json

from kiosk.errors import ApiError
from wegwijzer.i18n import N_, translations
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES

LOOPBACK = {"127.0.0.1", "::1"}


class ResponseRenderer:
    def __init__(self, domain_file: Path):
        domain = yaml.safe_load(domain_file.read_text("utf-8"))
        self.responses: dict[str, list[dict]] = domain.get("responses", {})

    def render(self, name: str, lang: str, values: dict) -> dict | None:
        variations = self.responses.get(name)
        if not variations:
            return None
        translate = translations(lang).gettext
        variation = variations[0]
        return {
            "text": _fill(translate(variation["text"]), values) if "text" in variation else None,
            "buttons": [
                {"title": _fill(translate(button["title"]), values), "payload": button["payload"]}
                for button in variation.get("buttons", [])
            ],
        }


def _fill(text: str, values: dict) -> str:
    """Fills {placeholders} as Rasa does: with slot values and arguments, others left as is."""
    formatter = string.Formatter()
    fields = {field for _, field, _, _ in formatter.parse(text) if field}
    return text.format_map({field: values.get(field, "{" + field + "}") for field in fields})


def message_language(tracker: dict) -> str:
    metadata = (tracker.get("latest_message") or {}).get("metadata") or {}
    lang = metadata.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


async def generate(request: Request) -> HTTPResponse:
    if request.ip not in LOOPBACK:
        raise ApiError(403, "forbidden",
                       N_("This address is only for the assistant."))
    body = request.json or {}
    tracker = body.get("tracker") or {}
    lang = message_language(tracker)
    # Actions pass fixed words (a domain's label) as their English message id.
    translate = translations(lang).gettext
    arguments = {key: translate(value) if isinstance(value, str) and value else value
                 for key, value in (body.get("arguments") or {}).items()}
    values = {**(tracker.get("slots") or {}), **arguments}
    rendered = request.app.ctx.responses.render(body.get("response", ""), lang, values)
    if rendered is None:
        raise ApiError(404, "unknown_response",
                       N_("No such response."))
    return json(rendered)
