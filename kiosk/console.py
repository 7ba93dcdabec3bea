"""The staff console (in Dutch): the request queue, detainees and staff accounts.

Who may open what is decided per page by `staff_page(*roles)`; what a staff member may do
with one request is decided by kiosk/queue.py, which every action goes through.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import partial

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, redirect
from sqlalchemy import select

from kiosk import accounts, queue
from kiosk.models import Detainee, HelpRequest, StaffUser
from kiosk.sessions import (
    database,
    end_session,
    safe_next,
    signed_in_staff,
    staff_page,
    start_session,
)
from knowledge.models import Organisation
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES

QUEUE_ROLES = ("frontoffice", "editor", "coordinator")
# Forms shown on a request's page, in this order.
REQUEST_ACTIONS = ("triage", "route", "schedule", "message", "done", "decline", "merge",
                   "cancel")
DETAINEE_LIST_LIMIT = 100


def _render(request: Request, name: str, status: int = 200, **context) -> HTTPResponse:
    return request.app.ctx.templates.render(request, f"staff/{name}", status=status, **context)


def _dutch(request: Request, error: Exception) -> str:
    """An error's message: Dutch already, or a shared English msgid translated."""
    return request.app.ctx.templates.gettext(DEFAULT_LANGUAGE, str(error))


def _service_names(request: Request) -> dict[str, str]:
    """Every service's Dutch name by slug, in alphabetical order."""
    return {hit.slug: hit.name for hit in request.app.ctx.catalogue.all_services("nl")}


# Signing in and out --------------------------------------------------------------

async def staff_sign_in_form(request: Request) -> HTTPResponse:
    return _render(request, "signin.html", next=safe_next(request.args.get("next"), "/staff"))


async def staff_sign_in(request: Request) -> HTTPResponse:
    form = request.form
    target = safe_next(form.get("next"), "/staff")
    try:
        with database(request) as db:
            user = accounts.sign_in_staff(db, form.get("username", ""),
                                          form.get("password", ""), datetime.utcnow())
    except accounts.SignInError as error:
        return _render(request, "signin.html", status=401, next=target,
                       username=form.get("username", ""),
                       error=error.text(partial(request.app.ctx.templates.gettext,
                                                DEFAULT_LANGUAGE)))
    response = redirect(target, status=303)
    start_session(request, response, staff=user)
    return response


async def staff_sign_out(request: Request) -> HTTPResponse:
    response = redirect("/staff/signin", status=303)
    end_session(request, response)
    return response


# The request queue ---------------------------------------------------------------

@staff_page(*QUEUE_ROLES, "admin")
async def queue_page(request: Request) -> HTTPResponse:
    if request.ctx.staff.role == "admin":  # admins keep accounts, not requests
        return redirect("/staff/accounts", status=303)
    now = datetime.utcnow()
    with database(request) as db:
        requests = queue.visible_requests(db, signed_in_staff(db, request))
        groups: dict[int, list[HelpRequest]] = {}
        for item in requests:
            groups.setdefault(item.detainee_id, []).append(item)
        return _render(request, "queue.html", groups=list(groups.values()),
                       overdue={item.id for item in requests if queue.is_overdue(item, now)},
                       duplicates=queue.possible_duplicates(requests),
                       labels=queue.STATE_LABELS, names=_service_names(request))


@staff_page(*QUEUE_ROLES)
async def request_page(request: Request, request_id: int) -> HTTPResponse:
    with database(request) as db:
        me = signed_in_staff(db, request)
        return _request_view(request, db, me, _visible(db, me, request_id))


@staff_page(*QUEUE_ROLES)
async def request_action(request: Request, request_id: int) -> HTTPResponse:
    form = request.form
    with database(request) as db:
        me = signed_in_staff(db, request)
        item = _visible(db, me, request_id)
        try:
            queue.act(db, item, me, form.get("action", ""), message=form.get("message", ""),
                      reason=form.get("reason") or None, when=_when(form),
                      place=form.get("place", ""), service_slug=form.get("service") or None,
                      into_ref=form.get("into_ref", ""))
        except queue.QueueError as error:
            return _request_view(request, db, me, item, status=400, error=_dutch(request, error))
    return redirect(f"/staff/requests/{request_id}", status=303)


def _visible(db, me: StaffUser, request_id: int) -> HelpRequest:
    """The request if this staff member may see it; 404 otherwise, as if it did not exist."""
    item = queue.staff_request(db, me, request_id)
    if item is None:
        raise NotFound("unknown request")
    return item


def _when(form) -> datetime | None:
    """The appointment's local date and time from the form's date and time inputs."""
    try:
        return datetime.combine(date.fromisoformat(form.get("date", "")),
                                time.fromisoformat(form.get("time", "")))
    except ValueError:
        return None


def _request_view(request: Request, db, me: StaffUser, item: HelpRequest, status: int = 200,
                  error: str = "") -> HTTPResponse:
    others = [other for other in queue.visible_requests(db, me)
              if other.detainee_id == item.detainee_id and other.id != item.id]
    return _render(request, "request.html", status=status, error=error, item=item,
                   others=others, actions=_usable_actions(me, item),
                   overdue=queue.is_overdue(item, datetime.utcnow()),
                   labels=queue.STATE_LABELS, reasons=queue.DECLINE_REASONS,
                   names=_service_names(request))


def _usable_actions(me: StaffUser, item: HelpRequest) -> list[str]:
    """The actions this staff member may take on the request in its present state."""
    def fits(action: str) -> bool:
        if action in queue.ACTIONS:
            return item.state in queue.ACTIONS[action][0]
        return action == "message" or item.state in queue.OPEN_STATES
    return [action for action in REQUEST_ACTIONS
            if queue.can_act(me, item, action) and fits(action)]


# Detainees -----------------------------------------------------------------------

@staff_page("frontoffice", "admin")
async def detainees_list(request: Request) -> HTTPResponse:
    return _detainees_view(request)


@staff_page("frontoffice", "admin")
async def add_detainee(request: Request) -> HTTPResponse:
    form = request.form
    try:
        with database(request) as db:
            detainee = accounts.create_detainee(
                db, form.get("number", ""), form.get("pin", ""),
                by=signed_in_staff(db, request), **_detainee_fields(form))
            db.commit()
    except accounts.AccountError as error:
        return _detainees_view(request, status=400, error=str(error), values=form)
    return redirect(f"/staff/detainees/{detainee.id}", status=303)


def _detainees_view(request: Request, status: int = 200, error: str = "",
                    values=None) -> HTTPResponse:
    search = request.args.get("q", "").strip()
    query = select(Detainee).order_by(Detainee.number).limit(DETAINEE_LIST_LIMIT)
    if search:
        query = query.where(Detainee.number.contains(search))
    with database(request) as db:
        found = list(db.scalars(query))
    return _render(request, "detainees.html", status=status, error=error, search=search,
                   detainees=found, values=values or {})


def _detainee_fields(form) -> dict:
    """The detainee's editable fields from a form (checkboxes are absent when unticked)."""
    lang = form.get("lang", DEFAULT_LANGUAGE)
    if lang not in LANGUAGES:
        raise accounts.AccountError("Kies een taal uit de lijst.")
    try:
        intake = form.get("intake_date")
        intake = date.fromisoformat(intake) if intake else None
    except ValueError:
        raise accounts.AccountError("De datum van opname is geen geldige datum.") from None
    return {"lang": lang, "section": form.get("section", "").strip()[:40], "intake_date": intake,
            "first_detention": form.get("first_detention") == "yes",
            "is_peer": form.get("is_peer") == "yes"}


@staff_page("frontoffice", "admin")
async def one_detainee(request: Request, detainee_id: int) -> HTTPResponse:
    with database(request) as db:
        return _detainee_view(request, db, signed_in_staff(db, request), _detainee(db, detainee_id))


@staff_page("frontoffice", "admin")
async def update_detainee(request: Request, detainee_id: int) -> HTTPResponse:
    form = request.form
    with database(request) as db:
        me, detainee = signed_in_staff(db, request), _detainee(db, detainee_id)
        try:
            _change_detainee(db, me, detainee, form)
        except (accounts.AccountError, queue.QueueError) as error:
            db.rollback()
            return _detainee_view(request, db, me, detainee, status=400,
                                  error=_dutch(request, error))
    return redirect(f"/staff/detainees/{detainee_id}", status=303)


def _detainee(db, detainee_id: int) -> Detainee:
    detainee = db.get(Detainee, detainee_id)
    if detainee is None:
        raise NotFound("unknown detainee")
    return detainee


def _change_detainee(db, me: StaffUser, detainee: Detainee, form) -> None:
    action, target = form.get("action"), f"detainee:{detainee.number}"
    if action == "update":
        fields = {**_detainee_fields(form), "active": form.get("active") == "yes"}
        changed = {name: value for name, value in fields.items()
                   if getattr(detainee, name) != value}
        for name, value in changed.items():
            setattr(detainee, name, value)
        accounts.audit(db, me, "detainee.update", target,
                       **{name: _plain(value) for name, value in changed.items()})
    elif action == "pin":
        accounts.set_pin(db, detainee, form.get("pin", ""), by=me)
    elif action == "unlock":
        accounts.unlock(db, detainee, by=me)
    elif action == "lead":
        queue.set_lead_service(db, detainee, form.get("service", ""), me)
    else:
        raise accounts.AccountError("Onbekende actie.")
    db.commit()


def _plain(value):
    """A value as the audit log's JSON can hold it."""
    return value.isoformat() if isinstance(value, date) else value


def _detainee_view(request: Request, db, me: StaffUser, detainee: Detainee, status: int = 200,
                   error: str = "") -> HTTPResponse:
    requests = list(db.scalars(select(HelpRequest).where(HelpRequest.detainee_id == detainee.id)
                               .order_by(HelpRequest.created_at.desc())))
    return _render(request, "detainee.html", status=status, error=error, person=detainee,
                   locked=_is_locked(detainee), requests=requests,
                   viewable={item.id for item in requests if queue.can_see(me, item)},
                   labels=queue.STATE_LABELS, names=_service_names(request))


def _is_locked(account) -> bool:
    return bool(account.locked_until and account.locked_until > datetime.utcnow())


# Staff accounts ------------------------------------------------------------------

@staff_page("admin")
async def accounts_page(request: Request) -> HTTPResponse:
    with database(request) as db:
        return _accounts_view(request, db)


@staff_page("admin")
async def create_account(request: Request) -> HTTPResponse:
    form = request.form
    with database(request) as db:
        try:
            organisation = form.get("organisation", "")
            accounts.create_staff(
                db, form.get("username", ""), form.get("password", ""), form.get("role", ""),
                full_name=form.get("full_name", ""),
                organisation_id=int(organisation) if organisation.isdigit() else None,
                by=signed_in_staff(db, request))
            db.commit()
        except accounts.AccountError as error:
            db.rollback()
            return _accounts_view(request, db, status=400, error=str(error), values=form)
    return redirect("/staff/accounts", status=303)


@staff_page("admin")
async def update_account(request: Request, staff_id: int) -> HTTPResponse:
    form = request.form
    with database(request) as db:
        me, user = signed_in_staff(db, request), db.get(StaffUser, staff_id)
        if user is None:
            raise NotFound("unknown staff member")
        try:
            _change_account(db, me, user, form)
        except accounts.AccountError as error:
            db.rollback()
            return _accounts_view(request, db, status=400, error=str(error))
    return redirect("/staff/accounts", status=303)


def _change_account(db, me: StaffUser, user: StaffUser, form) -> None:
    action = form.get("action")
    if action == "password":
        accounts.set_password(db, user, form.get("password", ""), by=me)
    elif action == "unlock":
        accounts.unlock(db, user, by=me)
    elif action in ("activate", "deactivate"):
        if user.id == me.id:  # or nobody might be left to manage the accounts
            raise accounts.AccountError("U kunt uw eigen account niet uitschakelen.")
        user.active = action == "activate"
        accounts.audit(db, me, f"staff.{action}", f"staff:{user.username}")
    else:
        raise accounts.AccountError("Onbekende actie.")
    db.commit()


def _accounts_view(request: Request, db, status: int = 200, error: str = "",
                   values=None) -> HTTPResponse:
    users = list(db.scalars(select(StaffUser).order_by(StaffUser.username)))
    organisations = list(db.scalars(select(Organisation).order_by(Organisation.name)))
    return _render(request, "accounts.html", status=status, error=error, users=users,
                   organisations=organisations, roles=accounts.ROLES, values=values or {},
                   locked={user.id for user in users if _is_locked(user)})


ROUTES = [
    ("/staff/signin", staff_sign_in_form, ["GET"]),
    ("/staff/signin", staff_sign_in, ["POST"]),
    ("/staff/signout", staff_sign_out, ["POST"]),
    ("/staff", queue_page, ["GET"]),
    ("/staff/requests/<request_id:int>", request_page, ["GET"]),
    ("/staff/requests/<request_id:int>", request_action, ["POST"]),
    ("/staff/detainees", detainees_list, ["GET"]),
    ("/staff/detainees", add_detainee, ["POST"]),
    ("/staff/detainees/<detainee_id:int>", one_detainee, ["GET"]),
    ("/staff/detainees/<detainee_id:int>", update_detainee, ["POST"]),
    ("/staff/accounts", accounts_page, ["GET"]),
    ("/staff/accounts", create_account, ["POST"]),
    ("/staff/accounts/<staff_id:int>", update_account, ["POST"]),
]
