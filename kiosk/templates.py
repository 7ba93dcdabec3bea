"""Jinja2 templates, one environment per language with its gettext catalogue installed."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request
from sanic.response import HTTPResponse, html

from kiosk.sessions import csrf_token, session_seconds_left
from wegwijzer.i18n import translations
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES, NATIVE_NAMES, text_direction

TEMPLATE_DIR = Path(__file__).parent / "templates"


def appointment_time(value: datetime, lang: str) -> str:
    """An appointment (local wall-clock time) as people of `lang` write it."""
    return f"{format_date(value, 'full', locale=lang)} {format_time(value, 'short', locale=lang)}"


def moment(value: datetime, lang: str, zone: ZoneInfo) -> str:
    """A moment stored in UTC, in the prison's local time."""
    local = value.replace(tzinfo=timezone.utc).astimezone(zone)
    return f"{format_date(local, 'medium', locale=lang)} {format_time(local, 'short', locale=lang)}"


def day(value: date, lang: str) -> str:
    """A calendar day (a date, or the day of a datetime) as people of `lang` write it."""
    return format_date(value, "long", locale=lang)


class Templates:
    def __init__(self, zone: str = "Europe/Brussels"):
        self.zone = ZoneInfo(zone)
        self.environments = {lang: self._environment(lang) for lang in LANGUAGES}

    def _environment(self, lang: str) -> Environment:
        env = Environment(
            loader=FileSystemLoader(TEMPLATE_DIR),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.install_gettext_translations(translations(lang), newstyle=True)
        env.globals.update(
            lang=lang,
            dir=text_direction(lang),
            direction=text_direction,
            languages=[(code, NATIVE_NAMES[code]) for code in LANGUAGES],
        )
        env.filters.update(
            appointment_time=partial(appointment_time, lang=lang),
            moment=partial(moment, lang=lang, zone=self.zone),
            day=partial(day, lang=lang),
        )
        return env

    def gettext(self, lang: str | None, message: str) -> str:
        return translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).gettext(message)

    def render(self, request: Request, name: str, status: int = 200, **context) -> HTTPResponse:
        """A detainee page, in the reader's language; console pages (staff/) in Dutch."""
        lang = getattr(request.ctx, "lang", DEFAULT_LANGUAGE)
        if name.startswith("staff/"):
            lang = DEFAULT_LANGUAGE
        template = self.environments[lang].get_template(name)
        page = template.render(
            request=request, csrf_token=csrf_token(request),
            detainee=getattr(request.ctx, "detainee", None),
            staff=getattr(request.ctx, "staff", None),
            idle_seconds=session_seconds_left(request), **context)
        return html(page, status=status)
