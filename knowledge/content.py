"""Loads the catalogue content (YAML in knowledge/catalogue/) into the database.

services/<slug>.yml holds a service with its Dutch and English text; texts/<lang>/<slug>.yml
holds its text in another language (so each language can be translated on its own).

Loading is an upsert keyed on slugs: loading the same content twice changes nothing, and
a service's texts in languages the files do not mention are left alone (staff may have
written them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.editing import SOURCE_LANGUAGE, TEXT_FIELDS, record_version, source_hashes
from knowledge.labels import ACCESS_MODES, COSTS, DOMAINS
from knowledge.models import Organisation, Service, ServiceText
from wegwijzer.languages import BASE_LANGUAGES, LANGUAGES

# How many days a service usually takes to answer a request, unless its file says otherwise.
DEFAULT_ANSWER_DAYS = 14


class ContentError(ValueError):
    """The catalogue files are not valid; the message says where."""


@dataclass
class LoadReport:
    organisations: int = 0
    services: int = 0
    changed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.organisations} organisations, {self.services} services, "
            f"{self.changed} rows added or changed"
        )


def read_content(folder: Path) -> tuple[list[dict], list[dict]]:
    """Reads and checks organisations.yml and services/*.yml."""
    organisations = yaml.safe_load((folder / "organisations.yml").read_text("utf-8"))
    services = {
        path.stem: yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((folder / "services").glob("*.yml"))
    }
    for path in sorted((folder / "texts").glob("*/*.yml")):
        if path.stem not in services:
            raise ContentError(f"{path}: no service {path.stem!r} in services/")
        services[path.stem]["texts"][path.parent.name] = yaml.safe_load(path.read_text("utf-8"))
    services = list(services.values())
    org_slugs = {org["slug"] for org in organisations}
    for service in services:
        _check_service(service, org_slugs)
    return organisations, services


def _check_service(service: dict, org_slugs: set[str]) -> None:
    where = f"service {service.get('slug')!r}"
    if service.get("organisation") not in org_slugs:
        raise ContentError(f"{where}: unknown organisation {service.get('organisation')!r}")
    if service.get("domain") not in DOMAINS:
        raise ContentError(f"{where}: unknown domain {service.get('domain')!r}")
    if service.get("access") not in ACCESS_MODES:
        raise ContentError(f"{where}: unknown access mode {service.get('access')!r}")
    if service.get("cost") not in (None, *COSTS):
        raise ContentError(f"{where}: cost is {' or '.join(COSTS)}, not {service['cost']!r}")
    texts = service.get("texts") or {}
    for lang in BASE_LANGUAGES:
        if lang not in texts:
            raise ContentError(f"{where}: no text in {lang!r}")
    for lang, text in texts.items():
        if lang not in LANGUAGES:
            raise ContentError(f"{where}: unknown language {lang!r}")
        missing = [field for field in TEXT_FIELDS if not text.get(field)]
        if missing:
            raise ContentError(f"{where} ({lang}): missing {', '.join(missing)}")


def load_catalogue(session: Session, folder: Path) -> LoadReport:
    organisations, services = read_content(folder)
    report = LoadReport(len(organisations), len(services))
    orgs_by_slug = {}
    for data in organisations:
        org = _upsert(session, Organisation, data["slug"], report,
                      name=data["name"], website=data.get("website"))
        orgs_by_slug[org.slug] = org
    for data in services:
        before = report.changed
        service = _upsert(session, Service, data["slug"], report,
                          organisation=orgs_by_slug[data["organisation"]],
                          domain=data["domain"], access=data["access"],
                          answer_days=data.get("answer_days", DEFAULT_ANSWER_DAYS),
                          cost=data.get("cost"))
        for lang, text in data["texts"].items():
            if _set_text(service, lang, text):
                report.changed += 1
        if report.changed != before:
            _loaded(session, service)
    session.commit()
    return report


def _loaded(session: Session, service: Service) -> None:
    """The files' translations are taken as made from the files' Dutch; the load is a
    version of its own, so staff can see and undo what a reload changed."""
    service.updated_at = datetime.utcnow()
    hashes = source_hashes(service)
    for lang, text in service.texts.items():
        if lang != SOURCE_LANGUAGE:
            text.source_hashes = hashes
    record_version(session, service, None, "Catalogusbestanden geladen")


def _upsert(session: Session, model, slug: str, report: LoadReport, **values):
    row = session.scalar(select(model).where(model.slug == slug))
    if row is None:
        row = model(slug=slug)
        session.add(row)
    if any(getattr(row, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(row, key, value)
        report.changed += 1
    return row


def _set_text(service: Service, lang: str, text: dict) -> bool:
    values = {field: _clean(text[field]) for field in TEXT_FIELDS}
    current = service.texts.get(lang)
    if current is None:
        service.texts[lang] = ServiceText(lang=lang, **values)
        return True
    if all(getattr(current, field) == value for field, value in values.items()):
        return False
    for field, value in values.items():
        setattr(current, field, value)
    return True


def _clean(value):
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    return " ".join(str(value).split())
