"""Printable pages for peer informants to hand out, in the reader's language: one service on
one sheet, and the whole catalogue as a booklet, grouped by domain. HTML with a print
stylesheet (static/print.css): the browser prints them, or saves them as PDF.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse

from knowledge import labels


async def service_sheet(request: Request, slug: str) -> HTTPResponse:
    page = request.app.ctx.catalogue.service(slug, request.ctx.lang)
    if page is None:
        raise NotFound("unknown service")
    return _render(request, "print/sheet.html", service=page)


async def booklet(request: Request) -> HTTPResponse:
    catalogue = request.app.ctx.catalogue
    lang = request.ctx.lang
    pages = [catalogue.service(hit.slug, lang) for hit in catalogue.all_services(lang)]
    sections = [
        (domain, [page for page in pages if page is not None and page.domain == domain])
        for domain in labels.DOMAINS
    ]
    return _render(request, "print/booklet.html",
                   sections=[(domain, services) for domain, services in sections if services])


def _render(request: Request, name: str, **context) -> HTTPResponse:
    return request.app.ctx.templates.render(
        request, name, domain_labels=labels.DOMAINS, access_labels=labels.ACCESS_MODES,
        cost_labels=labels.COSTS,
        printed_on=datetime.now(ZoneInfo(request.app.ctx.settings.timezone)).date(),
        **context)
