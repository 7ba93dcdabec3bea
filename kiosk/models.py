"""Database tables of the kiosk: accounts, sign-in sessions, requests and their events, and
participation (surveys, ideas, ratings, "you said, we did")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from wegwijzer.database import Base


class SignInGuard:
    """Columns that slow down and lock guessing of a PIN or password (kiosk/accounts.py)."""

    failed_attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime)
    locked_until = Column(DateTime)


class Detainee(SignInGuard, Base):
    __tablename__ = "detainee"

    id = Column(Integer, primary_key=True)
    number = Column(String(20), unique=True, nullable=False)
    pin_hash = Column(String(200), nullable=False)
    lang = Column(String(5), nullable=False, default="nl")
    section = Column(String(40), nullable=False, default="")
    intake_date = Column(Date)
    first_detention = Column(Boolean, nullable=False, default=False)
    is_peer = Column(Boolean, nullable=False, default=False)
    # The service that leads this person's trajectory ("regie"), decided by the frontoffice.
    lead_service_id = Column(ForeignKey("service.id"))
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)

    lead_service = relationship("Service")


class StaffUser(SignInGuard, Base):
    __tablename__ = "staff_user"

    id = Column(Integer, primary_key=True)
    username = Column(String(80), unique=True, nullable=False)
    full_name = Column(String(200), nullable=False, default="")
    password_hash = Column(String(200), nullable=False)
    role = Column(String(20), nullable=False)
    # Editors work for one organisation and see only its services and requests.
    organisation_id = Column(ForeignKey("organisation.id"))
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)

    organisation = relationship("Organisation")


class SignInSession(Base):
    """A signed-in device. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "sign_in_session"

    token_hash = Column(String(64), primary_key=True)
    detainee_id = Column(ForeignKey("detainee.id"))
    staff_id = Column(ForeignKey("staff_user.id"))
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    last_seen = Column(DateTime, nullable=False, default=datetime.utcnow)

    detainee = relationship("Detainee")
    staff = relationship("StaffUser")


class HelpRequest(Base):
    """A detainee's request for an appointment, and where it stands."""

    __tablename__ = "help_request"
    # One request per submission, however often the same form is sent.
    __table_args__ = (UniqueConstraint("detainee_id", "submission_key"),)

    id = Column(Integer, primary_key=True)
    # What people see and type: random, so that ids cannot be guessed one after another.
    ref = Column(String(12), unique=True, nullable=False)
    detainee_id = Column(ForeignKey("detainee.id"), nullable=False)
    # None: "I don't know which service", the frontoffice decides.
    service_id = Column(ForeignKey("service.id"))
    about = Column(Text, nullable=False)
    lang = Column(String(5), nullable=False)
    interpreter = Column(Boolean, nullable=False, default=False)
    consent = Column(Boolean, nullable=False, default=False)
    state = Column(String(12), nullable=False, default="submitted")
    filed_via_id = Column(ForeignKey("detainee.id"))
    merged_into_id = Column(ForeignKey("help_request.id"))
    scheduled_at = Column(DateTime)  # local wall-clock time of the appointment
    place = Column(String(120))
    submission_key = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)

    detainee = relationship("Detainee", foreign_keys=[detainee_id])
    filed_via = relationship("Detainee", foreign_keys=[filed_via_id])
    service = relationship("Service")
    merged_into = relationship("HelpRequest", remote_side=[id])
    events = relationship("RequestEvent", back_populates="request",
                          order_by="RequestEvent.id", cascade="all, delete-orphan")


class RequestEvent(Base):
    """One thing that happened to a request: who, when, what, and an optional message."""

    __tablename__ = "request_event"

    id = Column(Integer, primary_key=True)
    request_id = Column(ForeignKey("help_request.id", ondelete="CASCADE"), nullable=False)
    at = Column(DateTime, nullable=False, default=datetime.utcnow)
    kind = Column(String(20), nullable=False)  # see kiosk/queue.py EVENT_KINDS
    state = Column(String(12))  # the state after the event
    service_id = Column(ForeignKey("service.id"))
    reason = Column(String(30))  # a standard decline reason, translated for the detainee
    message = Column(Text)  # written by staff, in Dutch
    staff_id = Column(ForeignKey("staff_user.id"))
    detainee_id = Column(ForeignKey("detainee.id"))

    request = relationship("HelpRequest", back_populates="events")
    service = relationship("Service")
    staff = relationship("StaffUser")


class AuditEntry(Base):
    """A change staff made outside the request queue (accounts, PINs, locks)."""

    __tablename__ = "audit_entry"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=datetime.utcnow)
    staff_id = Column(ForeignKey("staff_user.id"))
    action = Column(String(40), nullable=False)
    target = Column(String(120), nullable=False)
    detail = Column(JSON, nullable=False, default=dict)

    staff = relationship("StaffUser")


# Participation: surveys, ideas, ratings and "you said, we did" ----------------------
# Answers, ideas and ratings are anonymous: no person, session or time of day is stored
# with them, and their ids are random (`RandomId`), so that neither a column nor the order
# of the rows tells who wrote what (kiosk/surveys.py, kiosk/feedback.py).

# A random 62-bit id (kiosk.surveys.random_id). On SQLite an INTEGER primary key is the
# rowid, so the rows are even stored in random order.
RandomId = BigInteger().with_variant(Integer(), "sqlite")


class Survey(Base):
    """A survey written by a coordinator: texts are {language: text}, Dutch always given."""

    __tablename__ = "survey"

    id = Column(Integer, primary_key=True)
    title = Column(JSON, nullable=False, default=dict)
    intro = Column(JSON, nullable=False, default=dict)
    section = Column(String(40), nullable=False, default="")  # "": every section
    opens_on = Column(Date, nullable=False)
    closes_on = Column(Date, nullable=False)
    published = Column(Boolean, nullable=False, default=False)
    created_by_id = Column(ForeignKey("staff_user.id"))
    created_at = Column(DateTime, nullable=False, default=datetime.utcnow)

    questions = relationship("SurveyQuestion", back_populates="survey",
                             order_by="SurveyQuestion.position", cascade="all, delete-orphan")


class SurveyQuestion(Base):
    __tablename__ = "survey_question"

    id = Column(Integer, primary_key=True)
    survey_id = Column(ForeignKey("survey.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False)
    kind = Column(String(10), nullable=False)  # see kiosk/surveys.py KINDS
    text = Column(JSON, nullable=False, default=dict)
    options = Column(JSON, nullable=False, default=list)  # [{language: text}] for choices

    survey = relationship("Survey", back_populates="questions")


class SurveyMarker(Base):
    """That someone answered a survey, as a keyed one-way hash of survey and person: it
    stops a second answer and cannot be turned back into the person. Stored in the order of
    the hash (no SQLite rowid), not in the order people answered."""

    __tablename__ = "survey_marker"
    __table_args__ = {"sqlite_with_rowid": False}

    marker = Column(String(64), primary_key=True)
    survey_id = Column(ForeignKey("survey.id"), nullable=False)


class SurveyResponse(Base):
    """One person's answers to a survey, without the person and without a date."""

    __tablename__ = "survey_response"

    id = Column(RandomId, primary_key=True, autoincrement=False)
    survey_id = Column(ForeignKey("survey.id"), nullable=False)

    answers = relationship("SurveyAnswer", cascade="all, delete-orphan")


class SurveyAnswer(Base):
    """The answer to one question: an option's index or the scale's 1-5 in `choice` (one
    row per option ticked), or a short text."""

    __tablename__ = "survey_answer"

    id = Column(RandomId, primary_key=True, autoincrement=False)
    response_id = Column(ForeignKey("survey_response.id", ondelete="CASCADE"), nullable=False)
    question_id = Column(ForeignKey("survey_question.id"), nullable=False)
    choice = Column(Integer)
    text = Column(Text)


class Idea(Base):
    """An idea or a complaint from the ideas box: anonymous, even when signed in."""

    __tablename__ = "idea"

    id = Column(RandomId, primary_key=True, autoincrement=False)
    kind = Column(String(10), nullable=False)  # "idea" or "complaint"
    text = Column(Text, nullable=False)
    lang = Column(String(5), nullable=False)  # the kiosk's language when it was written
    week = Column(Date, nullable=False)  # the Monday of the week: no day, no time


class ServiceRating(Base):
    """Whether a service's help helped (1-5), per service and week, not per person."""

    __tablename__ = "service_rating"

    id = Column(RandomId, primary_key=True, autoincrement=False)
    # None: a request done by the frontoffice without a service.
    service_id = Column(ForeignKey("service.id"))
    score = Column(Integer, nullable=False)
    comment = Column(Text)
    week = Column(Date, nullable=False)

    service = relationship("Service")


class RatedRequest(Base):
    """A done request whose detainee was asked whether it helped, so that they are asked
    once; whether they rated it, and how, is not recorded here."""

    __tablename__ = "rated_request"

    request_id = Column(ForeignKey("help_request.id", ondelete="CASCADE"), primary_key=True)


class YouSaidWeDid(Base):
    """A coordinator's short answer to ideas and survey results, shown on the kiosk."""

    __tablename__ = "you_said_we_did"

    id = Column(Integer, primary_key=True)
    said = Column(JSON, nullable=False, default=dict)
    did = Column(JSON, nullable=False, default=dict)
    published_on = Column(Date, nullable=False)
    created_by_id = Column(ForeignKey("staff_user.id"))


class UnansweredTheme(Base):
    """The theme (a catalogue domain, or one of kiosk/results.py EXTRA_THEMES) a
    coordinator gave an unanswered assistant question, for the indicators."""

    __tablename__ = "unanswered_theme"

    question_id = Column(ForeignKey("unanswered_question.id", ondelete="CASCADE"),
                         primary_key=True)
    theme = Column(String(20), nullable=False)
