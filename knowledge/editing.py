"""Changing the catalogue: staff edits, versions with diff and rollback, translation status.

Every change is saved as a new ServiceVersion holding the whole service, so a version can
be compared with the one before it and restored (restoring is itself a new version).
Translations remember a hash of the Dutch they were made from; when the Dutch changes,
the translation is outdated until someone saves it again.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from knowledge.labels import ACCESS_MODES, COSTS, DOMAINS
from knowledge.models import Organisation, Service, ServiceText, ServiceVersion
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES

TEXT_FIELDS = ("name", "summary", "who_for", "description", "how_to_access", "keywords")
SOURCE_LANGUAGE = DEFAULT_LANGUAGE  # staff write Dutch; the rest is translated from it
FIELD_LABELS = {"name": "Naam", "summary": "Samenvatting", "who_for": "Voor wie",
                "description": "Beschrijving",
                "how_to_access": "Hoe vraag je het aan", "keywords": "Trefwoorden"}
MAX_LENGTHS = {"name": 200, "summary": 300, "who_for": 500, "description": 3000,
               "how_to_access": 2000}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class EditError(ValueError):
    """An edit that cannot be saved; the message is Dutch (the console's language)."""


# Who may change what ----------------------------------------------------------------

def can_edit(staff, service: Service) -> bool:
    """Coordinators edit every service; an editor only those of their own organisation."""
    if staff.role == "coordinator":
        return True
    return staff.role == "editor" and service.organisation_id == staff.organisation_id


def editable_services(db: Session, staff) -> list[Service]:
    query = (select(Service).options(selectinload(Service.texts),
                                     selectinload(Service.organisation))
             .order_by(Service.retired, Service.slug))
    if staff.role != "coordinator":
        query = query.where(Service.organisation_id == staff.organisation_id)
    return list(db.scalars(query))


# Translation status -----------------------------------------------------------------

def field_hash(value) -> str:
    text = "\n".join(value) if isinstance(value, list) else str(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def source_hashes(service: Service) -> dict[str, str]:
    source = service.texts.get(SOURCE_LANGUAGE)
    return {field: field_hash(getattr(source, field)) for field in TEXT_FIELDS} if source else {}


def outdated_fields(service: Service, lang: str) -> list[str]:
    """Fields of a translation whose Dutch changed after it was written."""
    text = service.texts.get(lang)
    if lang == SOURCE_LANGUAGE or text is None:
        return []
    current = source_hashes(service)
    return [field for field in TEXT_FIELDS if text.source_hashes.get(field) != current.get(field)]


def status(service: Service, lang: str) -> str:
    """'ok', 'outdated' or 'missing'."""
    if lang not in service.texts:
        return "missing"
    return "outdated" if outdated_fields(service, lang) else "ok"


@dataclass(frozen=True)
class Coverage:
    lang: str
    ok: int
    outdated: int
    missing: int

    @property
    def percent(self) -> int:
        total = self.ok + self.outdated + self.missing
        return round(100 * self.ok / total) if total else 100


def coverage(services: list[Service]) -> list[Coverage]:
    """Per language, how many services offered today are translated and up to date."""
    offered = [service for service in services if not service.retired]
    result = []
    for lang in LANGUAGES:
        states = [status(service, lang) for service in offered]
        result.append(Coverage(lang, states.count("ok"), states.count("outdated"),
                               states.count("missing")))
    return result


def not_checked_since(services: list[Service], days: int, today: date) -> list[Service]:
    """Services offered today that nobody confirmed in the last `days` days."""
    limit = today - timedelta(days=days)
    return [service for service in services
            if not service.retired and (service.last_checked is None
                                        or service.last_checked < limit)]


# Changes ----------------------------------------------------------------------------

def save_text(db: Session, service: Service, lang: str, values: dict, staff) -> ServiceVersion:
    """Saves one language's text (written next to the Dutch) and checks it."""
    if lang not in LANGUAGES:
        raise EditError(f"Onbekende taal: {lang}.")
    cleaned = _clean_text(values)
    _begin(db, service, staff)
    text = service.texts.get(lang)
    if text is None:
        text = service.texts[lang] = ServiceText(lang=lang, **cleaned)
    else:
        for field, value in cleaned.items():
            setattr(text, field, value)
    if lang != SOURCE_LANGUAGE:
        text.source_hashes = source_hashes(service)
    service.last_checked = date.today()
    return _changed(db, service, staff, f"Tekst {lang} bewaard")


def _clean_text(values: dict) -> dict:
    cleaned = {}
    for field in TEXT_FIELDS:
        raw = values.get(field) or ""
        if field == "keywords":
            cleaned[field] = [word.strip() for word in re.split(r"[,\n]", raw) if word.strip()]
            continue
        value = " ".join(raw.split())
        label = FIELD_LABELS[field]
        if not value:
            raise EditError(f"Vul '{label}' in.")
        if len(value) > MAX_LENGTHS[field]:
            raise EditError(f"'{label}' is te lang (hoogstens {MAX_LENGTHS[field]} tekens).")
        cleaned[field] = value
    return cleaned


def save_settings(db: Session, service: Service, values: dict, staff) -> ServiceVersion:
    if values.get("domain") not in DOMAINS:
        raise EditError("Kies een domein.")
    if values.get("access") not in ACCESS_MODES:
        raise EditError("Kies hoe je de dienst aanvraagt.")
    try:
        answer_days = int(values.get("answer_days", ""))
    except ValueError:
        raise EditError("De antwoordtermijn is een aantal dagen.") from None
    if not 1 <= answer_days <= 365:
        raise EditError("De antwoordtermijn ligt tussen 1 en 365 dagen.")
    cost = values.get("cost") or None
    if cost not in (None, *COSTS):
        raise EditError("Kies wat de dienst kost: gratis, betalend of niet bekend.")
    _begin(db, service, staff)
    service.domain, service.access = values["domain"], values["access"]
    service.answer_days, service.cost = answer_days, cost
    service.last_checked = date.today()
    return _changed(db, service, staff, "Instellingen bewaard")


def mark_checked(db: Session, service: Service, staff) -> ServiceVersion:
    _begin(db, service, staff)
    service.last_checked = date.today()
    return _changed(db, service, staff, "Nagekeken: alles klopt")


def add_service(db: Session, slug: str, organisation_slug: str, values: dict, staff) -> Service:
    """A new service (coordinators), with its Dutch text. A slug is never reused."""
    if staff.role != "coordinator":
        raise EditError("Alleen een coördinator voegt diensten toe.")
    slug = slug.strip()
    if not SLUG.match(slug) or len(slug) > 80:
        raise EditError("Een slug bestaat uit kleine letters, cijfers en streepjes.")
    if db.scalar(select(Service).where(Service.slug == slug)):
        raise EditError(f"De slug {slug} bestaat al of bestond al; kies een andere.")
    organisation = db.scalar(select(Organisation).where(Organisation.slug == organisation_slug))
    if organisation is None:
        raise EditError("Kies een organisatie.")
    service = Service(slug=slug, organisation=organisation, domain="onthaal",
                      access="frontoffice", answer_days=14)
    db.add(service)
    service.texts[SOURCE_LANGUAGE] = ServiceText(lang=SOURCE_LANGUAGE, **_clean_text(values))
    save_settings(db, service, values, staff)
    return service


def retire(db: Session, service: Service, staff) -> ServiceVersion:
    if staff.role != "coordinator":
        raise EditError("Alleen een coördinator haalt een dienst uit het aanbod.")
    _begin(db, service, staff)
    service.retired = True
    return _changed(db, service, staff, "Uit het aanbod gehaald")


def restore(db: Session, service: Service, number: int, staff) -> ServiceVersion:
    """Makes the service as it was in version `number` again (as a new version)."""
    state = _version(service, number).snapshot
    _begin(db, service, staff)
    service.domain, service.access = state["domain"], state["access"]
    service.answer_days, service.retired = state["answer_days"], state["retired"]
    service.cost = state.get("cost")  # versions older than costs have none
    for lang in list(service.texts):
        if lang not in state["texts"]:
            del service.texts[lang]
    for lang, fields in state["texts"].items():
        text = service.texts.get(lang) or ServiceText(lang=lang)
        service.texts[lang] = text
        for field in TEXT_FIELDS:
            setattr(text, field, fields[field])
        text.source_hashes = dict(fields.get("source_hashes", {}))
    return _changed(db, service, staff, f"Teruggezet naar versie {number}")


def record_version(db: Session, service: Service, staff, note: str) -> ServiceVersion:
    db.flush()
    number = (db.scalar(select(func.max(ServiceVersion.number))
                        .where(ServiceVersion.service_id == service.id)) or 0) + 1
    version = ServiceVersion(service=service, number=number, staff_id=staff.id if staff else None,
                             note=note, snapshot=snapshot(service), at=datetime.utcnow())
    db.add(version)
    return version


def _begin(db: Session, service: Service, staff) -> None:
    """Before a change: is it allowed, and is the state before it kept?"""
    if not can_edit(staff, service):
        raise EditError("U mag deze dienst niet wijzigen.")
    if service.id is not None and not service.versions:
        record_version(db, service, None, "Zoals het was")


def _changed(db: Session, service: Service, staff, note: str) -> ServiceVersion:
    service.updated_at = datetime.utcnow()
    version = record_version(db, service, staff, note)
    db.commit()
    return version


def snapshot(service: Service) -> dict:
    return {
        "organisation": service.organisation.slug, "domain": service.domain,
        "access": service.access, "answer_days": service.answer_days,
        "cost": service.cost, "retired": service.retired,
        "texts": {
            lang: {**{field: getattr(text, field) for field in TEXT_FIELDS},
                   "source_hashes": dict(text.source_hashes or {})}
            for lang, text in sorted(service.texts.items())
        },
    }


def _version(service: Service, number: int) -> ServiceVersion:
    for version in service.versions:
        if version.number == number:
            return version
    raise EditError(f"Versie {number} bestaat niet.")


# Comparing versions -----------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    what: str  # e.g. "fr · summary" or "domain"
    parts: list[tuple[str, str]]  # (" ", "-" or "+", words): the old and new text merged


def compare(service: Service, number: int) -> list[Change]:
    """What version `number` changed compared with the version before it."""
    new = _version(service, number).snapshot
    old = _version(service, number - 1).snapshot if number > 1 else {"texts": {}}
    changes = []
    for key in ("domain", "access", "answer_days", "cost", "retired"):
        if old.get(key) != new.get(key):
            changes.append(Change(key, _word_diff(old.get(key), new.get(key))))
    for lang in sorted(set(old["texts"]) | set(new["texts"])):
        before, after = old["texts"].get(lang, {}), new["texts"].get(lang, {})
        for field in TEXT_FIELDS:
            if before.get(field) != after.get(field):
                changes.append(Change(f"{lang} · {field}",
                                      _word_diff(before.get(field), after.get(field))))
    return changes


def _word_diff(old, new) -> list[tuple[str, str]]:
    def words(value):
        if value is None:
            return []
        return (", ".join(value) if isinstance(value, list) else str(value)).split()
    parts: list[tuple[str, str]] = []
    for token in difflib.ndiff(words(old), words(new)):
        sign, word = token[0], token[2:]
        if sign == "?":
            continue
        if parts and parts[-1][0] == sign:
            parts[-1] = (sign, f"{parts[-1][1]} {word}")
        else:
            parts.append((sign, word))
    return parts
