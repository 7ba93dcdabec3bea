"""Ideas, ratings and "you said, we did": what detainees tell the network, and what the
network answers.

Nothing stored here links to a person: ids are random (`random_id`) and, instead of a
moment, only the week is kept (its Monday), too coarse to be matched with sign-ins.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kiosk.models import (
    Detainee,
    HelpRequest,
    Idea,
    RatedRequest,
    ServiceRating,
    StaffUser,
    YouSaidWeDid,
)
from wegwijzer.i18n import N_
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES

IDEA_KINDS = {"idea": N_("An idea"), "complaint": N_("A complaint")}
# The faces of a 1-5 scale, saddest first (ratings and survey questions).
SCALE = {1: N_("Very bad"), 2: N_("Bad"), 3: N_("So-so"), 4: N_("Good"), 5: N_("Very good")}
MAX_IDEA_LENGTH = 2000
MAX_COMMENT_LENGTH = 500
NEWS_ON_KIOSK = 10


class FeedbackError(ValueError):
    """Feedback that cannot be kept; the message is an English msgid."""


def random_id() -> int:
    """An id that says nothing about when a row was added (62 bits: any database's BIGINT)."""
    return secrets.randbelow(2**62 - 1) + 1


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_today(zone: str) -> date:
    """Today in the prison (surveys open and close on local dates)."""
    return datetime.now(ZoneInfo(zone)).date()


def in_language(texts: dict, lang: str) -> str:
    """A coordinator's text in `lang`, or in Dutch when it was not translated."""
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or ""


def written_texts(texts: dict) -> dict:
    """{language: text} without empty texts or unknown languages; Dutch is required."""
    kept = {lang: " ".join(str(texts.get(lang) or "").split()) for lang in LANGUAGES}
    kept = {lang: text for lang, text in kept.items() if text}
    if DEFAULT_LANGUAGE not in kept:
        raise FeedbackError("Schrijf minstens de Nederlandse tekst.")
    return kept


# The ideas box -------------------------------------------------------------------

def leave_idea(db: Session, kind: str, text: str, lang: str, today: date) -> Idea:
    """Keeps an idea or complaint. Sending the same text twice in a week (a double tap)
    keeps it once."""
    text = text.strip()
    if kind not in IDEA_KINDS:
        raise FeedbackError(N_("Choose whether it is an idea or a complaint."))
    if len(text) < 3:
        raise FeedbackError(N_("Please write your idea in a few words."))
    if len(text) > MAX_IDEA_LENGTH:
        raise FeedbackError(N_("Your text is too long. Please keep it shorter."))
    week = week_of(today)
    same = db.scalar(select(Idea).where(Idea.kind == kind, Idea.text == text,
                                        Idea.week == week))
    if same is not None:
        return same
    idea = Idea(id=random_id(), kind=kind, text=text,
                lang=lang if lang in LANGUAGES else DEFAULT_LANGUAGE, week=week)
    db.add(idea)
    db.commit()
    return idea


def ideas(db: Session, since: date | None = None) -> list[Idea]:
    """The ideas box, newest week first (within a week in no particular order)."""
    query = select(Idea).order_by(Idea.week.desc(), Idea.kind, Idea.text)
    if since is not None:
        query = query.where(Idea.week >= week_of(since))
    return list(db.scalars(query))


# Ratings -------------------------------------------------------------------------

def requests_to_rate(db: Session, detainee: Detainee) -> list[HelpRequest]:
    """The person's done requests they have not yet been asked about."""
    rated = select(RatedRequest.request_id)
    return list(db.scalars(
        select(HelpRequest).where(HelpRequest.detainee_id == detainee.id,
                                  HelpRequest.state == "done", HelpRequest.id.not_in(rated))
        .order_by(HelpRequest.updated_at.desc())))


def rate(db: Session, detainee: Detainee, request: HelpRequest, score: int | None,
         comment: str, today: date) -> None:
    """Records whether a done request helped (or, with no score, that the person did not
    want to say): stored for the service and the week, never for the person."""
    if request.detainee_id != detainee.id or request.state != "done":
        raise FeedbackError(N_("This request cannot be rated."))
    if score is not None and score not in SCALE:
        raise FeedbackError(N_("Choose one of the faces."))
    comment = " ".join(comment.split())[:MAX_COMMENT_LENGTH] or None
    db.add(RatedRequest(request_id=request.id))
    if score is not None:
        db.add(ServiceRating(id=random_id(), service_id=request.service_id, score=score,
                             comment=comment, week=week_of(today)))
    try:
        db.commit()
    except IntegrityError:  # asked already (two taps, two devices): the first answer counts
        db.rollback()


# "You said, we did" --------------------------------------------------------------

def news(db: Session, today: date | None = None, limit: int | None = None) -> list[YouSaidWeDid]:
    """Published answers, newest first; with `today`, only those published by then."""
    query = select(YouSaidWeDid).order_by(YouSaidWeDid.published_on.desc(),
                                          YouSaidWeDid.id.desc())
    if today is not None:
        query = query.where(YouSaidWeDid.published_on <= today)
    return list(db.scalars(query.limit(limit)))


def publish_news(db: Session, staff: StaffUser, said: dict, did: dict,
                 published_on: date) -> YouSaidWeDid:
    item = YouSaidWeDid(said=written_texts(said), did=written_texts(did),
                        published_on=published_on, created_by_id=staff.id)
    db.add(item)
    db.commit()
    return item
