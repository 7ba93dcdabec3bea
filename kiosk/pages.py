"""The detainee pages: the service list with search, and one service."""

from __future__ import annotations

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse

from kiosk.api import MAX_QUERY_LENGTH
from knowledge import labels


async def home(request: Request) -> HTTPResponse:
    query = (request.args.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    catalogue = request.app.ctx.catalogue
    lang = request.ctx.lang
    services = catalogue.search(query, lang) if query else catalogue.all_services(lang)
    return request.app.ctx.templates.render(request, "home.html", query=query, services=services,
                                            domains=catalogue.domains())


async def service(request: Request, slug: str) -> HTTPResponse:
    page = request.app.ctx.catalogue.service(slug, request.ctx.lang)
    if page is None:
        raise NotFound("unknown service")
    return request.app.ctx.templates.render(
        request, "service.html", service=page,
        domain_label=labels.DOMAINS[page.domain], access_label=labels.ACCESS_MODES[page.access],
        cost_label=labels.COSTS.get(page.cost),
    )
