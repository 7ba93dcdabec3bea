"""Database tables of the kiosk: accounts, sign-in sessions, requests and their events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
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
