"""The request queue: filing requests, what staff may do with them, and what it means.

A request moves submitted -> triaged -> scheduled -> done, or ends declined or cancelled.
Every change is a RequestEvent: who, when, the new state, and an optional message that
staff write in Dutch. Fixed phrases (states, standard reasons) are translated for the
detainee from the msgids below.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kiosk.accounts import audit
from kiosk.models import Detainee, HelpRequest, RequestEvent, StaffUser
from knowledge.analysis import analyser
from knowledge.models import Service
from wegwijzer.i18n import N_

OPEN_STATES = ("submitted", "triaged", "scheduled")
STATE_LABELS = {
    "submitted": N_("Sent"),
    "triaged": N_("Being looked at"),
    "scheduled": N_("Appointment planned"),
    "done": N_("Done"),
    "declined": N_("Declined"),
    "cancelled": N_("Cancelled"),
}
# Standard reasons staff pick when declining; the detainee reads them in their language.
DECLINE_REASONS = {
    "not_offered": N_("This service does not offer what you asked for."),
    "other_service": N_("Another service can help you better. Ask the frontoffice."),
    "no_places": N_("There are no places free at the moment. Ask again later."),
    "released": N_("You are no longer in this prison."),
    "duplicate": N_("This was the same question as your other request. We continue there."),
}
EVENT_KINDS = {
    "filed": N_("You sent this request."),
    "state": "",  # shown as the state's label
    "routed": N_("Your request was passed on to: {service}."),
    "message": "",  # shown as the staff's message only
    "merged": N_("This was the same question as your other request. We continue there."),
}
# What each action does to the state, and from which states it is allowed.
ACTIONS = {
    "triage": (("submitted",), "triaged"),
    "schedule": (OPEN_STATES, "scheduled"),
    "done": (("triaged", "scheduled"), "done"),
    "decline": (OPEN_STATES, "declined"),
    "cancel": (OPEN_STATES, "cancelled"),
}
MAX_ABOUT_LENGTH = 2000
DUPLICATE_SIMILARITY = 0.3


class QueueError(ValueError):
    """A request that cannot be filed or changed; `message` is an English msgid."""


@dataclass(frozen=True)
class NewRequest:
    about: str
    lang: str
    service_slug: str | None = None
    interpreter: bool = False
    consent: bool = False
    submission_key: str = ""


def file_request(db: Session, detainee: Detainee, new: NewRequest,
                 via_peer: Detainee | None = None) -> HelpRequest:
    """Files a request, once per submission key: sending the same form twice (a double
    tap, a retry after a network error) returns the request filed the first time."""
    key = new.submission_key or secrets.token_hex(16)
    existing = _by_submission(db, detainee.id, key)
    if existing is not None:
        return existing
    about = " ".join(new.about.split())
    if len(about) < 2:
        raise QueueError(N_("Please write in a few words what your question is about."))
    if len(about) > MAX_ABOUT_LENGTH:
        raise QueueError(N_("Your text is too long. Please keep it shorter."))
    service = None
    if new.service_slug:
        service = db.scalar(select(Service).where(Service.slug == new.service_slug))
        if service is None:
            raise QueueError(N_("This service does not exist."))
    request = HelpRequest(
        ref=_new_ref(), detainee_id=detainee.id, service=service, about=about,
        lang=new.lang, interpreter=new.interpreter, consent=new.consent,
        filed_via_id=via_peer.id if via_peer else None, submission_key=key[:64],
    )
    request.events.append(RequestEvent(kind="filed", state="submitted", service=service,
                                       detainee_id=detainee.id))
    db.add(request)
    try:
        db.commit()
    except IntegrityError:  # the same submission, committed by a concurrent request
        db.rollback()
        return _by_submission(db, detainee.id, key)
    return request


def _by_submission(db: Session, detainee_id: int, key: str) -> HelpRequest | None:
    return db.scalar(select(HelpRequest).where(
        HelpRequest.detainee_id == detainee_id, HelpRequest.submission_key == key[:64]))


def _new_ref() -> str:
    # 8 characters from an alphabet without look-alikes (0/O, 1/I/L): easy to read out.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


# What a detainee sees --------------------------------------------------------------

def requests_of(db: Session, detainee: Detainee) -> list[HelpRequest]:
    """A detainee's own requests, newest first (never those they filed for someone else)."""
    return list(db.scalars(
        select(HelpRequest).where(HelpRequest.detainee_id == detainee.id)
        .options(selectinload(HelpRequest.service), selectinload(HelpRequest.events))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc())))


def own_request(db: Session, detainee: Detainee, ref: str) -> HelpRequest | None:
    """The request with this reference if it is this detainee's; None for anyone else's,
    so that guessing references tells nothing."""
    return db.scalar(select(HelpRequest).where(
        HelpRequest.ref == ref, HelpRequest.detainee_id == detainee.id))


def cancel_by_detainee(db: Session, request: HelpRequest, detainee: Detainee) -> None:
    _change(db, request, "cancel", RequestEvent(detainee_id=detainee.id))


# What staff see and do -------------------------------------------------------------

def can_see(staff: StaffUser, request: HelpRequest) -> bool:
    """Frontoffice and coordinators see the whole queue; an editor sees the requests
    routed to their organisation that the detainee agreed to share with it."""
    if staff.role in ("frontoffice", "coordinator"):
        return True
    if staff.role == "editor":
        return (request.consent and request.service is not None
                and request.service.organisation_id == staff.organisation_id)
    return False


def can_act(staff: StaffUser, request: HelpRequest, action: str) -> bool:
    if not can_see(staff, request) or staff.role == "coordinator":
        return False
    if staff.role == "editor":  # the service answers; routing stays with the frontoffice
        return action in ("schedule", "done", "decline", "message")
    return True


def visible_requests(db: Session, staff: StaffUser, open_only: bool = True) -> list[HelpRequest]:
    query = (select(HelpRequest)
             .options(selectinload(HelpRequest.service), selectinload(HelpRequest.detainee))
             .order_by(HelpRequest.created_at))
    if open_only:
        query = query.where(HelpRequest.state.in_(OPEN_STATES))
    if staff.role == "editor":
        query = query.join(Service, HelpRequest.service_id == Service.id).where(
            Service.organisation_id == staff.organisation_id, HelpRequest.consent.is_(True))
    return [request for request in db.scalars(query) if can_see(staff, request)]


def staff_request(db: Session, staff: StaffUser, request_id: int) -> HelpRequest | None:
    request = db.get(HelpRequest, request_id)
    return request if request is not None and can_see(staff, request) else None


def act(db: Session, request: HelpRequest, staff: StaffUser, action: str, *,
        message: str = "", reason: str | None = None, when: datetime | None = None,
        place: str = "", service_slug: str | None = None, into_ref: str = "") -> None:
    """Does one staff action on a request, recording it as an event. Everything is checked
    before anything changes: a refused action leaves the request as it was."""
    if not can_act(staff, request, action):
        raise QueueError("U mag dit niet doen met deze aanvraag.")
    if request.state not in OPEN_STATES:
        raise QueueError(N_("This request can no longer be changed."))
    event = RequestEvent(staff_id=staff.id, message=message.strip() or None)
    if action == "message":
        if not event.message:
            raise QueueError("Schrijf eerst een bericht.")
        _add(db, request, event, kind="message")
    elif action == "route":
        _route(db, request, event, service_slug)
    elif action == "merge":
        _merge(db, request, event, into_ref)
    elif action == "schedule":
        if when is None or not place.strip():
            raise QueueError("Geef een datum, een uur en een plaats.")
        _change(db, request, action, event, scheduled_at=when, place=place.strip()[:120])
    elif action == "decline":
        if reason not in DECLINE_REASONS:
            raise QueueError("Kies een reden.")
        event.reason = reason
        _change(db, request, action, event)
    elif action in ACTIONS:
        _change(db, request, action, event)
    else:
        raise QueueError(f"Onbekende actie: {action}.")


def _route(db: Session, request: HelpRequest, event: RequestEvent, slug: str | None) -> None:
    service = db.scalar(select(Service).where(Service.slug == (slug or "")))
    if service is None:
        raise QueueError("Kies een dienst.")
    if not request.consent:
        raise QueueError("De gedetineerde gaf geen toestemming om de vraag te delen met een "
                         "dienst; bespreek het eerst met hem of haar.")
    request.service = event.service = service
    if request.state == "submitted":
        request.state = "triaged"
    _add(db, request, event, kind="routed")


def _merge(db: Session, request: HelpRequest, event: RequestEvent, into_ref: str) -> None:
    target = db.scalar(select(HelpRequest).where(HelpRequest.ref == into_ref.strip().upper()))
    if (target is None or target.id == request.id or target.detainee_id != request.detainee_id
            or target.state not in OPEN_STATES):
        raise QueueError("Samenvoegen kan alleen met een andere open aanvraag van dezelfde "
                         "persoon.")
    event.reason = "duplicate"
    _change(db, request, "cancel", event, kind="merged", merged_into=target)


def _change(db: Session, request: HelpRequest, action: str, event: RequestEvent,
            kind: str = "state", **changes) -> None:
    allowed, new_state = ACTIONS[action]
    if request.state not in allowed:
        raise QueueError(N_("This request can no longer be changed."))
    for name, value in changes.items():
        setattr(request, name, value)
    request.state = new_state
    _add(db, request, event, kind=kind)


def _add(db: Session, request: HelpRequest, event: RequestEvent, kind: str) -> None:
    event.kind = kind
    event.state = request.state
    event.at = request.updated_at = datetime.utcnow()
    request.events.append(event)
    db.commit()


def set_lead_service(db: Session, detainee: Detainee, slug: str, staff: StaffUser) -> None:
    if staff.role not in ("frontoffice",):
        raise QueueError("Alleen de frontoffice kiest de regisseur.")
    service = db.scalar(select(Service).where(Service.slug == slug))
    if service is None:
        raise QueueError("Kies een dienst.")
    detainee.lead_service = service
    audit(db, staff, "detainee.lead", f"detainee:{detainee.number}", service=slug)
    db.commit()


# What it means ---------------------------------------------------------------------

def is_overdue(request: HelpRequest, now: datetime) -> bool:
    """Still waiting for an appointment after the service's usual answer time."""
    if request.state not in ("submitted", "triaged"):
        return False
    days = request.service.answer_days if request.service else 14
    return now - request.created_at > timedelta(days=days)


def possible_duplicates(requests: list[HelpRequest]) -> set[int]:
    """Ids of open requests of the same person asking much the same thing (in words
    compared after stemming), typically sent to several services at once."""
    words = {request.id: _words(request) for request in requests}
    found = set()
    for i, first in enumerate(requests):
        for second in requests[i + 1:]:
            if first.detainee_id != second.detainee_id:
                continue
            a, b = words[first.id], words[second.id]
            if a and b and len(a & b) / len(a | b) >= DUPLICATE_SIMILARITY:
                found.update((first.id, second.id))
    return found


def _words(request: HelpRequest) -> set[str]:
    return {token.text for token in analyser(request.lang)(request.about)}
