"""The reader's language: from ?lang=, then the language cookie, then the default."""

from __future__ import annotations

from sanic import Request

from kiosk.errors import ApiError
from wegwijzer.i18n import N_
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "wz_lang"


def reader_language(request: Request) -> str:
    """The best guess, never an error (used for error pages themselves)."""
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def asked_language(request: Request) -> str:
    """The language asked for with ?lang= (else the reader's); an unknown code is a 400."""
    asked = request.args.get("lang")
    if asked is None:
        return reader_language(request)
    return check_language(asked)


def check_language(code) -> str:
    if code not in LANGUAGES:
        raise ApiError(400, "unsupported_language", N_(
            "This language is not supported. Use one of: nl, fr, en, ar, tr, pl, ro."))
    return code
