"""The app factory and the URL map."""

from __future__ import annotations

from pathlib import Path

from sanic import Request, Sanic
from sanic.response import HTTPResponse, json

from kiosk import (
    api,
    catalogue_console,
    chat,
    console,
    detainee,
    nlg,
    pages,
    participation,
    printing,
    results,
    speech,
)
from kiosk.detect import LanguageDetector
from kiosk.errors import handle_error
from kiosk.i18n import LANGUAGE_COOKIE, reader_language
from kiosk.sessions import load_session, session_cookies
from kiosk.templates import Templates
from knowledge import Catalogue
from wegwijzer.config import BOT_DIR, Settings
from wegwijzer.languages import LANGUAGES

STATIC_DIR = Path(__file__).parent / "static"

# Strict: nothing from elsewhere, no inline script or style.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


async def health(_request: Request) -> HTTPResponse:
    return json({"status": "ok"})


ROUTES = [
    # (path, handler, methods)
    ("/", pages.home, ["GET"]),
    ("/services/<slug>", pages.service, ["GET"]),
    ("/services/<slug>/print", printing.service_sheet, ["GET"]),
    ("/print", printing.booklet, ["GET"]),
    ("/api/services", api.search_services, ["GET"]),
    ("/api/services/<slug>", api.get_service, ["GET"]),
    ("/api/speech", speech.make_speech, ["POST"]),
    ("/api/speech/services/<slug>", speech.service_speech, ["GET"]),
    ("/api/speech/<key>", speech.recording, ["GET"]),
    ("/signin", detainee.sign_in_form, ["GET"]),
    ("/signin", detainee.sign_in, ["POST"]),
    ("/signout", detainee.sign_out, ["POST"]),
    ("/session/ping", detainee.keep_alive, ["POST"]),
    ("/requests", detainee.my_requests, ["GET"]),
    ("/requests", detainee.file_request, ["POST"]),
    ("/requests/new", detainee.new_request_form, ["GET"]),
    ("/requests/<ref>", detainee.one_request, ["GET"]),
    ("/requests/<ref>/cancel", detainee.cancel_request, ["POST"]),
    *participation.ROUTES,
    *console.ROUTES,
    *results.ROUTES,
    *catalogue_console.ROUTES,
    ("/api/chat", chat.chat, ["POST"]),
    ("/nlg", nlg.generate, ["POST"]),
    ("/healthz", health, ["GET"]),
]


def create_app(settings: Settings, name: str = "wegwijzer") -> Sanic:
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.secret_key = settings.secret_key()
    app.ctx.catalogue = Catalogue.from_settings(settings)
    app.ctx.templates = Templates(settings.timezone)
    app.ctx.responses = nlg.ResponseRenderer(BOT_DIR / "domain.yml")
    app.ctx.rasa = chat.RasaClient(settings.rasa_url)
    app.ctx.detector = LanguageDetector()
    app.ctx.speaker = speech.Speaker(settings.data_dir / "speech")

    for path, handler, methods in ROUTES:
        app.add_route(handler, path, methods=methods)
    app.static("/static", str(STATIC_DIR), name="static")
    app.error_handler.add(Exception, handle_error)
    app.register_middleware(_set_language, "request")
    app.register_middleware(load_session, "request")
    app.register_middleware(_add_headers, "response")
    app.register_middleware(session_cookies, "response")
    app.register_listener(_start, "before_server_start")
    app.register_listener(_stop, "after_server_stop")
    return app


async def _start(app: Sanic, _loop) -> None:
    app.ctx.catalogue.refresh_index()
    app.ctx.detector.load()
    await app.ctx.rasa.open()


async def _stop(app: Sanic, _loop) -> None:
    await app.ctx.rasa.close()


async def _set_language(request: Request) -> None:
    request.ctx.lang = reader_language(request)


async def _add_headers(request: Request, response: HTTPResponse) -> None:
    response.headers.update(SECURITY_HEADERS)
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != asked:
        response.cookies[LANGUAGE_COOKIE] = asked
        response.cookies[LANGUAGE_COOKIE]["max-age"] = 365 * 24 * 3600
        response.cookies[LANGUAGE_COOKIE]["samesite"] = "Lax"
