"""Database tables of the catalogue: organisations, their services and the services' texts."""

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
from sqlalchemy.orm.collections import attribute_mapped_collection

from wegwijzer.database import Base


class Organisation(Base):
    __tablename__ = "organisation"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), unique=True, nullable=False)
    name = Column(String(200), nullable=False)
    website = Column(String(300))

    services = relationship("Service", back_populates="organisation")


class Service(Base):
    __tablename__ = "service"

    id = Column(Integer, primary_key=True)
    # The stable identifier of catalogue-reference.md: never changed, never reused.
    slug = Column(String(80), unique=True, nullable=False)
    organisation_id = Column(ForeignKey("organisation.id"), nullable=False)
    domain = Column(String(20), nullable=False)
    access = Column(String(20), nullable=False)
    # Requests older than this without an appointment are overdue ("later than usual").
    answer_days = Column(Integer, nullable=False, default=14)
    updated_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    # When someone of the organisation last confirmed the text is right (None: never).
    last_checked = Column(Date)
    # A retired service is no longer offered; its slug is never reused, its requests remain.
    retired = Column(Boolean, nullable=False, default=False)
    # What it costs a detainee: "free" or "paid" (knowledge.labels.COSTS); None: not known.
    cost = Column(String(10))

    organisation = relationship("Organisation", back_populates="services")
    texts = relationship(
        "ServiceText", back_populates="service", cascade="all, delete-orphan",
        collection_class=attribute_mapped_collection("lang"),
    )
    versions = relationship("ServiceVersion", back_populates="service",
                            order_by="ServiceVersion.number", cascade="all, delete-orphan")


class ServiceText(Base):
    """A service as written in one language."""

    __tablename__ = "service_text"
    __table_args__ = (UniqueConstraint("service_id", "lang"),)

    id = Column(Integer, primary_key=True)
    service_id = Column(ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    lang = Column(String(5), nullable=False)
    name = Column(String(200), nullable=False)
    summary = Column(Text, nullable=False)
    who_for = Column(Text, nullable=False, default="")  # who the service is for
    description = Column(Text, nullable=False)
    how_to_access = Column(Text, nullable=False)
    keywords = Column(JSON, nullable=False, default=list)
    # For a translation: a hash of each Dutch field as it was when this text was written,
    # so that a field whose Dutch changed since is known to be outdated.
    source_hashes = Column(JSON, nullable=False, default=dict)

    service = relationship("Service", back_populates="texts")


class ServiceVersion(Base):
    """A service as it was after one change: who, when, and the whole service (snapshot),
    so that any two versions can be compared and any version restored."""

    __tablename__ = "service_version"
    __table_args__ = (UniqueConstraint("service_id", "number"),)

    id = Column(Integer, primary_key=True)
    service_id = Column(ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    number = Column(Integer, nullable=False)
    at = Column(DateTime, nullable=False, default=datetime.utcnow)
    staff_id = Column(ForeignKey("staff_user.id"))  # None: loaded from the catalogue files
    note = Column(String(200), nullable=False, default="")
    snapshot = Column(JSON, nullable=False)

    service = relationship("Service", back_populates="versions")


class UnansweredQuestion(Base):
    """A question neither the assistant nor the catalogue could answer: what staff should
    add to the catalogue. Deliberately without any link to who asked."""

    __tablename__ = "unanswered_question"

    id = Column(Integer, primary_key=True)
    text = Column(Text, nullable=False)
    lang = Column(String(5), nullable=False)
    asked_at = Column(DateTime, nullable=False, default=datetime.utcnow)
