"""A detainee's own pages: sign in and out, ask for an appointment, follow one's requests,
and (for peer informants) file a request for someone else with that person's PIN."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import partial

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, json, redirect

from kiosk import accounts, feedback, queue
from kiosk.chat import CHAT_COOKIE, REPLY_LANGUAGE_COOKIE
from kiosk.i18n import LANGUAGE_COOKIE
from kiosk.sessions import (
    database,
    detainee_page,
    end_session,
    forget_cookie,
    safe_next,
    start_session,
)
from knowledge.models import Service
from wegwijzer.i18n import N_


def _render(request: Request, name: str, status: int = 200, **context) -> HTTPResponse:
    return request.app.ctx.templates.render(request, name, status=status, **context)


def _sign_in_message(request: Request, error: accounts.SignInError) -> str:
    return error.text(partial(request.app.ctx.templates.gettext, request.ctx.lang))


# Signing in and out --------------------------------------------------------------

async def sign_in_form(request: Request) -> HTTPResponse:
    return _render(request, "signin.html", next=safe_next(request.args.get("next"), "/requests"))


async def sign_in(request: Request) -> HTTPResponse:
    form = request.form
    target = safe_next(form.get("next"), "/requests")
    try:
        with database(request) as db:
            detainee = accounts.sign_in_detainee(db, form.get("number", ""),
                                                 form.get("pin", ""), datetime.utcnow())
    except accounts.SignInError as error:
        return _render(request, "signin.html", status=401, next=target,
                       number=form.get("number", ""), error=_sign_in_message(request, error))
    response = redirect(target, status=303)
    # The chat goes on: someone who signs in to send the assistant's form keeps it.
    start_session(request, response, detainee=detainee)
    if LANGUAGE_COOKIE not in request.cookies:
        response.cookies[LANGUAGE_COOKIE] = detainee.lang
        response.cookies[LANGUAGE_COOKIE]["samesite"] = "Lax"
    return response


async def sign_out(request: Request) -> HTTPResponse:
    """Ends the session (the "end session" button, and the idle countdown) and starts a new
    chat conversation, so that the next person on a shared kiosk sees nothing of this one."""
    response = redirect("/", status=303)
    end_session(request, response)
    _new_conversation(response)
    return response


def _new_conversation(response: HTTPResponse) -> None:
    forget_cookie(response, CHAT_COOKIE)
    forget_cookie(response, REPLY_LANGUAGE_COOKIE)


async def keep_alive(request: Request) -> HTTPResponse:
    """The page calls this while someone is using it; the session middleware did the rest."""
    return json({"signed_in": request.ctx.detainee is not None or request.ctx.staff is not None})


# Requests ------------------------------------------------------------------------

@detainee_page
async def my_requests(request: Request) -> HTTPResponse:
    now = datetime.utcnow()
    with database(request) as db:
        requests = queue.requests_of(db, request.ctx.detainee)
        return _render(request, "requests.html", requests=requests,
                       overdue={r.id for r in requests if queue.is_overdue(r, now)},
                       labels=queue.STATE_LABELS, service_name=_service_name(request),
                       to_rate=feedback.requests_to_rate(db, request.ctx.detainee),
                       scale=feedback.SCALE, rating=request.args.get("rating"))


@detainee_page
async def new_request_form(request: Request) -> HTTPResponse:
    return _request_form(request, for_someone=request.args.get("for") == "someone")


def _request_form(request: Request, for_someone: bool, status: int = 200, error: str = "",
                  values: dict | None = None) -> HTTPResponse:
    if for_someone and not request.ctx.detainee.is_peer:
        for_someone = False
    values = values or {}
    slug = values.get("service", request.args.get("service", ""))
    catalogue = request.app.ctx.catalogue
    return _render(request, "request_form.html", status=status, error=error,
                   chosen=catalogue.service(slug, request.ctx.lang) if slug else None,
                   services=catalogue.all_services(request.ctx.lang), values=values,
                   for_someone=for_someone, submission_key=values.get("submission_key")
                   or secrets.token_hex(16))


@detainee_page
async def file_request(request: Request) -> HTTPResponse:
    form = request.form
    values = {key: form.get(key, "") for key in
              ("service", "about", "interpreter", "consent", "submission_key", "number")}
    new = queue.NewRequest(
        about=values["about"], lang=request.ctx.lang, service_slug=values["service"] or None,
        interpreter=values["interpreter"] == "yes", consent=values["consent"] == "yes",
        submission_key=values["submission_key"],
    )
    for_someone = form.get("for") == "someone" and request.ctx.detainee.is_peer
    gettext = request.app.ctx.templates.gettext
    try:
        with database(request) as db:
            if for_someone:
                return _file_for_someone(request, db, new, form)
            filed = queue.file_request(db, request.ctx.detainee, new)
    except queue.QueueError as error:
        return _request_form(request, for_someone, status=400, values=values,
                             error=gettext(request.ctx.lang, str(error)))
    except accounts.SignInError as error:
        return _request_form(request, True, status=401, values=values,
                             error=_sign_in_message(request, error))
    return redirect(f"/requests/{filed.ref}?sent=1", status=303)


def _file_for_someone(request: Request, db, new: queue.NewRequest, form) -> HTTPResponse:
    """The other person confirms with their own number and PIN on this device. The peer is
    recorded on the request but sees nothing of it: not even its reference."""
    peer = request.ctx.detainee
    other = accounts.sign_in_detainee(db, form.get("number", ""), form.get("pin", ""),
                                      datetime.utcnow())
    if other.id == peer.id:
        raise queue.QueueError(N_("This form is for someone else's request."))
    queue.file_request(db, other, new, via_peer=peer)
    return _render(request, "peer_done.html")


@detainee_page
async def one_request(request: Request, ref: str) -> HTTPResponse:
    with database(request) as db:
        found = queue.own_request(db, request.ctx.detainee, ref)
        if found is None:
            raise NotFound("unknown request")
        return _render(request, "request.html", item=found, sent="sent" in request.args,
                       overdue=queue.is_overdue(found, datetime.utcnow()),
                       labels=queue.STATE_LABELS, reasons=queue.DECLINE_REASONS,
                       kinds=queue.EVENT_KINDS, service_name=_service_name(request))


@detainee_page
async def cancel_request(request: Request, ref: str) -> HTTPResponse:
    with database(request) as db:
        found = queue.own_request(db, request.ctx.detainee, ref)
        if found is None:
            raise NotFound("unknown request")
        try:
            queue.cancel_by_detainee(db, found, request.ctx.detainee)
        except queue.QueueError:
            pass  # already closed: the page shows how it ended
    return redirect(f"/requests/{ref}", status=303)


def _service_name(request: Request):
    """A service's name in the reader's language (for the request pages)."""
    def name(service: Service | None) -> str:
        page = request.app.ctx.catalogue.service(service.slug, request.ctx.lang) \
            if service else None
        return page.name if page else ""
    return name
