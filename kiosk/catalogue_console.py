"""The console's catalogue pages (Dutch): editors keep their organisation's services right,
coordinators all of them. Every save is a version (knowledge/editing.py) and is live at
once: pages read the database, and the search index is rebuilt as a new generation that
the kiosk and the assistant's action server switch to on their next search.
"""

from __future__ import annotations

import asyncio
from datetime import date

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, redirect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kiosk.console import _render
from kiosk.models import StaffUser
from kiosk.sessions import database, signed_in_staff, staff_page
from knowledge import editing
from knowledge.labels import ACCESS_MODES, COSTS, DOMAINS
from knowledge.models import Organisation, Service
from wegwijzer.languages import LANGUAGES, NATIVE_NAMES

EDIT_ROLES = ("editor", "coordinator")


def _service(db, slug: str) -> Service:
    service = db.scalar(select(Service).where(Service.slug == slug).options(
        selectinload(Service.texts), selectinload(Service.versions),
        selectinload(Service.organisation)))
    if service is None:
        raise NotFound("onbekende dienst")
    return service


def _editable(db, request: Request, slug: str):
    """The staff member and the service, if they may edit it (404 otherwise, as if it did
    not exist: an editor learns nothing about other organisations' services)."""
    me = signed_in_staff(db, request)
    service = _service(db, slug)
    if not editing.can_edit(me, service):
        raise NotFound("onbekende dienst")
    return me, service


async def _publish(request: Request) -> None:
    """Makes a saved change findable: a new index generation, built off the event loop."""
    await asyncio.get_running_loop().run_in_executor(
        None, request.app.ctx.catalogue.refresh_index)


@staff_page(*EDIT_ROLES)
async def services_page(request: Request) -> HTTPResponse:
    days = request.app.ctx.settings.check_days
    with database(request) as db:
        me = signed_in_staff(db, request)
        services = editing.editable_services(db, me)
        return _render(
            request, "catalogue.html", services=services, languages=LANGUAGES,
            translation_state=editing.status, check_days=days,
            unchecked=editing.not_checked_since(services, days, date.today()),
            coverage=editing.coverage(services) if me.role == "coordinator" else None)


@staff_page(*EDIT_ROLES)
async def edit_page(request: Request, slug: str) -> HTTPResponse:
    lang = request.args.get("taal", "nl")
    with database(request) as db:
        _, service = _editable(db, request, slug)
        return _edit_view(request, service, lang if lang in LANGUAGES else "nl")


def _edit_view(request: Request, service: Service, lang: str, status: int = 200,
               error: str = "", values: dict | None = None) -> HTTPResponse:
    text = service.texts.get(lang)
    current = values or ({field: getattr(text, field) for field in editing.TEXT_FIELDS}
                         if text else {})
    if isinstance(current.get("keywords"), list):
        current = {**current, "keywords": ", ".join(current["keywords"])}
    return _render(
        request, "service_edit.html", status=status, error=error, service=service, lang=lang,
        dutch=service.texts.get(editing.SOURCE_LANGUAGE), values=current,
        outdated=editing.outdated_fields(service, lang), languages=LANGUAGES,
        native=NATIVE_NAMES, translation_state=editing.status, labels=editing.FIELD_LABELS,
        fields=editing.TEXT_FIELDS, domains=DOMAINS, access_modes=ACCESS_MODES, costs=COSTS)


@staff_page(*EDIT_ROLES)
async def save_page(request: Request, slug: str) -> HTTPResponse:
    form = request.form
    what = form.get("what", "text")
    lang = form.get("lang", "nl")
    with database(request) as db:
        me, service = _editable(db, request, slug)
        values = {key: form.get(key, "") for key in form}
        try:
            if what == "settings":
                editing.save_settings(db, service, values, me)
            elif what == "checked":
                editing.mark_checked(db, service, me)
            elif what == "retire":
                editing.retire(db, service, me)
            else:
                editing.save_text(db, service, lang, values, me)
        except editing.EditError as error:
            db.rollback()
            return _edit_view(request, _service(db, slug), lang, status=400, error=str(error),
                              values=values if what == "text" else None)
    await _publish(request)
    return redirect(f"/staff/catalogue/{slug}?taal={lang}&bewaard=1", status=303)


@staff_page(*EDIT_ROLES)
async def versions_page(request: Request, slug: str) -> HTTPResponse:
    with database(request) as db:
        _, service = _editable(db, request, slug)
        number = request.args.get("versie")
        chosen = int(number) if number and number.isdigit() else None
        if chosen is not None and not any(v.number == chosen for v in service.versions):
            raise NotFound("onbekende versie")
        names = {user.id: user.full_name or user.username for user in db.scalars(
            select(StaffUser).where(StaffUser.id.in_({v.staff_id for v in service.versions})))}
        return _render(request, "versions.html", service=service, chosen=chosen,
                       changes=editing.compare(service, chosen) if chosen else None,
                       staff_names=names)


@staff_page(*EDIT_ROLES)
async def restore_page(request: Request, slug: str) -> HTTPResponse:
    number = request.form.get("versie", "")
    with database(request) as db:
        me, service = _editable(db, request, slug)
        try:
            editing.restore(db, service, int(number) if number.isdigit() else 0, me)
        except editing.EditError:
            raise NotFound("onbekende versie") from None
    await _publish(request)
    return redirect(f"/staff/catalogue/{slug}/versies", status=303)


@staff_page("coordinator")
async def new_service_page(request: Request) -> HTTPResponse:
    return _new_view(request)


def _new_view(request: Request, status: int = 200, error: str = "",
              values: dict | None = None) -> HTTPResponse:
    with database(request) as db:
        organisations = list(db.scalars(select(Organisation).order_by(Organisation.name)))
        return _render(request, "service_new.html", status=status, error=error,
                       values=values or {"answer_days": "14"}, organisations=organisations,
                       domains=DOMAINS, access_modes=ACCESS_MODES, costs=COSTS,
                       labels=editing.FIELD_LABELS, fields=editing.TEXT_FIELDS)


@staff_page("coordinator")
async def add_service_page(request: Request) -> HTTPResponse:
    values = {key: request.form.get(key, "") for key in request.form}
    with database(request) as db:
        try:
            service = editing.add_service(db, values.get("slug", ""),
                                          values.get("organisation", ""), values,
                                          signed_in_staff(db, request))
        except editing.EditError as error:
            db.rollback()
            return _new_view(request, status=400, error=str(error), values=values)
        slug = service.slug
    await _publish(request)
    return redirect(f"/staff/catalogue/{slug}", status=303)


ROUTES = [
    ("/staff/catalogue", services_page, ["GET"]),
    ("/staff/catalogue/nieuw", new_service_page, ["GET"]),
    ("/staff/catalogue/nieuw", add_service_page, ["POST"]),
    ("/staff/catalogue/<slug>", edit_page, ["GET"]),
    ("/staff/catalogue/<slug>", save_page, ["POST"]),
    ("/staff/catalogue/<slug>/versies", versions_page, ["GET"]),
    ("/staff/catalogue/<slug>/versies", restore_page, ["POST"]),
]
