"""Jinja2 templates, one environment per language with its gettext catalogue installed."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request
from sanic.response import HTTPResponse, html

from wegwijzer.i18n import translations
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES, NATIVE_NAMES, text_direction

TEMPLATE_DIR = Path(__file__).parent / "templates"


class Templates:
    def __init__(self):
        self.environments = {lang: self._environment(lang) for lang in LANGUAGES}

    @staticmethod
    def _environment(lang: str) -> Environment:
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
        return env

    def gettext(self, lang: str | None, message: str) -> str:
        return translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).gettext(message)

    def render(self, request: Request, name: str, status: int = 200, **context) -> HTTPResponse:
        lang = getattr(request.ctx, "lang", DEFAULT_LANGUAGE)
        template = self.environments[lang].get_template(name)
        return html(template.render(request=request, **context), status=status)
