"""The catalogue's JSON API (see DESIGN.md, "JSON API of the kiosk")."""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse, json

from kiosk.errors import ApiError
from kiosk.i18n import asked_language
from wegwijzer.i18n import N_

MAX_QUERY_LENGTH = 200


async def search_services(request: Request) -> HTTPResponse:
    lang = asked_language(request)
    query = (request.args.get("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise ApiError(400, "query_too_long",
                       N_("The search text is too long."))
    catalogue = request.app.ctx.catalogue
    hits = catalogue.search(query, lang) if query else catalogue.all_services(lang)
    return json({"results": [
        {"slug": hit.slug, "name": hit.name, "summary": hit.summary, "score": hit.score,
         "lang": hit.lang}
        for hit in hits
    ]})


async def get_service(request: Request, slug: str) -> HTTPResponse:
    lang = asked_language(request)
    service = request.app.ctx.catalogue.service(slug, lang)
    if service is None:
        raise ApiError(404, "unknown_service",
                       N_("This service does not exist."))
    return json(service.as_json())
