"""Open Referral HSDS 3.0 exchange of the catalogue: one JSON publication per language.

A publication (`hsds-<lang>.json`) is shaped like a page of the HSDS API (`total_items`,
..., `contents`). Its contents are organisations (schema organization.json), each with its
services (schema service.json). Each service is written in the publication's language or,
where it has no text in that language, in the language the kiosk shows instead.

What goes where (ours -> HSDS):

- organisation: `id` (uuid5 of the slug), `name`, `website`; `description` is required by
  HSDS and we have none, so it is empty.
- service: `id` (uuid5 of the slug), `organization_id`, `name`, `description`,
  `application_process` (how to access), `status` (`active`, or `defunct` once retired),
  `assured_date` (last checked), `last_modified` (updated_at, UTC, in milliseconds).
- `languages`: the languages the service is written in. HSDS means languages spoken at a
  service; each entry's `note` says that ours are the written ones.
- `attributes`: the domain and the access mode, each a term of a taxonomy of our own
  ("Wegwijzer domains", "Wegwijzer access modes") whose `code` is our key and whose `name`
  is the label in the publication's language.

HSDS has no field for our slugs, a summary, keywords, answer days, the language a text is
written in, the translation state, or what a service costs as a choice (free, paid, not
known; HSDS's `fees_description`, also written, is free text). HSDS's schemas allow
additional properties and its conformance rules allow publishers to add properties where
no HSDS field fits ("Extending HSDS"), so these are in one extension object,
`x-wegwijzer`, on the page, on each organisation and on each service. HSDS ids are uuid5
of the slugs; the slugs themselves (fixed contracts) travel in `x-wegwijzer.slug` and
must match their ids on import.

Reading publications back checks everything (the HSDS schemas when they are available,
and always what Wegwijzer needs) and reports every problem with its file, item and field
before anything is written.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge.content import LoadReport
from knowledge.editing import MAX_LENGTHS, SLUG, TEXT_FIELDS, record_version
from knowledge.labels import ACCESS_MODES, COSTS, DOMAINS
from knowledge.models import Organisation, Service, ServiceText
from wegwijzer.config import REPO_ROOT
from wegwijzer.i18n import translations
from wegwijzer.languages import BASE_LANGUAGES, LANGUAGES, NATIVE_NAMES, fallback_order

# The compiled HSDS 3.0 schemas, beside the clone (not shipped with Wegwijzer).
SCHEMA_DIR = REPO_ROOT.parent / "shared" / "hsds-3.0"
EXTENSION = "x-wegwijzer"
# Every HSDS id is a uuid5 in this namespace: changing it changes every id ever published.
ID_NAMESPACE = uuid.UUID("7b405fb9-96d2-41e2-bf24-cb49c403c078")
FILE_NAME = "hsds-{lang}.json"
# Our taxonomies: (name, terms with their English labels, description).
TAXONOMIES = {
    "domain": ("Wegwijzer domains", DOMAINS,
               "The domains of help of the Wegwijzer catalogue; a term's code is its key."),
    "access": ("Wegwijzer access modes", ACCESS_MODES,
               "How a detainee asks for a service; a term's code is its key."),
}
STATUSES = {"active": False, "defunct": True}  # HSDS status -> retired
LANGUAGE_NOTE = "Information about this service is written in this language."
IMPORT_NOTE = "Geïmporteerd (HSDS)"  # the console shows version notes in Dutch
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?(Z|[+-]\d\d:\d\d)")
# The page around the contents: not part of the HSDS data model (API Reference, "Lists").
PAGE_SCHEMA = {
    "type": "object",
    "required": ["total_items", "total_pages", "page_number", "size", "first_page",
                 "last_page", "empty", "contents"],
    "properties": {
        **{key: {"type": "integer"} for key in
           ("total_items", "total_pages", "page_number", "size")},
        **{key: {"type": "boolean"} for key in ("first_page", "last_page", "empty")},
        "contents": {"type": "array", "items": {"type": "object"}},
    },
}


class HsdsError(ValueError):
    """Publications that cannot be read or written; `problems` says where, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def hsds_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(parts)))


# The database ----------------------------------------------------------------------------

def read_catalogue(session: Session) -> tuple[list[dict], list[dict]]:
    """Organisations and services (retired ones too) as plain rows, sorted by slug."""
    organisations = [
        {"slug": org.slug, "name": org.name, "website": org.website}
        for org in session.scalars(select(Organisation).order_by(Organisation.slug))
    ]
    services = session.scalars(
        select(Service).order_by(Service.slug)
        .options(selectinload(Service.texts), selectinload(Service.organisation)))
    return organisations, [_service_row(service) for service in services]


def _service_row(service: Service) -> dict:
    return {
        "slug": service.slug, "organisation": service.organisation.slug,
        "domain": service.domain, "access": service.access,
        "answer_days": service.answer_days, "cost": service.cost, "retired": service.retired,
        "last_checked": service.last_checked, "updated_at": service.updated_at,
        "texts": {lang: _text_row(text) for lang, text in sorted(service.texts.items())},
    }


def _text_row(text: ServiceText) -> dict:
    row = {field: getattr(text, field) for field in TEXT_FIELDS}
    row["keywords"] = list(text.keywords)
    row["source_hashes"] = dict(text.source_hashes or {})
    return row


def write_catalogue(session: Session, organisations: list[dict],
                    services: list[dict]) -> LoadReport:
    """Upserts the rows by slug in one transaction; texts in other languages stay.

    A changed service gets a version (like a reload of the catalogue files), so staff can
    see and undo what an import changed.
    """
    existing = {service.slug: service for service in session.scalars(
        select(Service).options(selectinload(Service.texts), selectinload(Service.versions)))}
    problems = [
        f"service {data['slug']!r}: no text in {' or '.join(BASE_LANGUAGES)}, in the files "
        "or in the database"
        for data in services if not _has_base_text(data, existing.get(data["slug"]))
    ]
    if problems:
        raise HsdsError(problems)
    report = LoadReport(len(organisations), len(services))
    try:
        orgs = {data["slug"]: _write_organisation(session, data, report)
                for data in organisations}
        for data in services:
            row = existing.get(data["slug"])
            if row is None:
                row = Service(slug=data["slug"])
                session.add(row)
            report.changed += _write_service(session, row, data, orgs[data["organisation"]])
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def _has_base_text(data: dict, row: Service | None) -> bool:
    """Every reader falls back to a Dutch or English text (fallback_order)."""
    languages = set(data["texts"]) | set(row.texts if row is not None else ())
    return any(lang in languages for lang in BASE_LANGUAGES)


def _write_organisation(session: Session, data: dict, report: LoadReport) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == data["slug"]))
    if org is None:
        org = Organisation(slug=data["slug"])
        session.add(org)
    if (org.name, org.website) != (data["name"], data["website"]):
        org.name, org.website = data["name"], data["website"]
        report.changed += 1
    return org


def _write_service(session: Session, row: Service, data: dict, org: Organisation) -> int:
    values = {"organisation": org, "domain": data["domain"], "access": data["access"],
              "answer_days": data["answer_days"], "cost": data["cost"], "retired": data["retired"]}
    if data["last_checked"] is not None:  # a file without the date does not erase ours
        values["last_checked"] = data["last_checked"]
    new = row.id is None
    if not new and not _differs(row, values, data["texts"]):
        return 0
    if not new and not row.versions:
        record_version(session, row, None, "Zoals het was")
    for key, value in values.items():
        setattr(row, key, value)
    for lang, fields in data["texts"].items():
        text = row.texts.get(lang) or ServiceText(lang=lang)
        row.texts[lang] = text
        for field, value in fields.items():
            setattr(text, field, value)
    row.updated_at = data["updated_at"] or datetime.utcnow()
    record_version(session, row, None, IMPORT_NOTE)
    return 1


def _differs(row: Service, values: dict, texts: dict) -> bool:
    if any(getattr(row, key) != value for key, value in values.items()):
        return True
    return any(lang not in row.texts or _text_row(row.texts[lang]) != fields
               for lang, fields in texts.items())


# Catalogue -> publications -------------------------------------------------------------

def publication(organisations: list[dict], services: list[dict], lang: str) -> dict:
    """The catalogue as an HSDS publication for readers of `lang`."""
    gettext = translations(lang).gettext
    contents = []
    for org in organisations:
        item = _organization(org)
        item["services"] = [_service(service, item["id"], lang, gettext)
                            for service in services if service["organisation"] == org["slug"]]
        contents.append(item)
    return {
        "total_items": len(contents), "total_pages": 1, "page_number": 1,
        "size": len(contents), "first_page": True, "last_page": True, "empty": not contents,
        "contents": contents,
        EXTENSION: {"language": lang, "services": len(services)},
    }


def _organization(org: dict) -> dict:
    item = {"id": hsds_id("organization", org["slug"]), "name": org["name"], "description": ""}
    if org["website"]:
        item["website"] = org["website"]
    item[EXTENSION] = {"slug": org["slug"]}
    return item


def _service(service: dict, org_id: str, lang: str, gettext) -> dict:
    slug, texts = service["slug"], service["texts"]
    shown = next(code for code in fallback_order(lang) if code in texts)
    text = texts[shown]
    service_id = hsds_id("service", slug)
    record = {
        "id": service_id, "organization_id": org_id, "name": text["name"],
        "description": text["description"], "application_process": text["how_to_access"],
        "eligibility_description": text["who_for"],
        "status": "defunct" if service["retired"] else "active",
        "last_modified": service["updated_at"].isoformat(timespec="milliseconds") + "Z",
    }
    if service["last_checked"] is not None:
        record["assured_date"] = service["last_checked"].isoformat()
    if service["cost"] is not None:  # for HSDS readers; ours read x-wegwijzer.cost
        fees = COSTS[service["cost"]]  # not inline: babel would extract "cost" as a message
        record["fees_description"] = gettext(fees)
    record["languages"] = [
        {"id": hsds_id("service", slug, "language", code), "service_id": service_id,
         "name": NATIVE_NAMES[code], "code": code, "note": LANGUAGE_NOTE}
        for code in LANGUAGES if code in texts
    ]
    record["attributes"] = [_attribute(service_id, slug, kind, service[kind], lang, gettext)
                            for kind in TAXONOMIES]
    record[EXTENSION] = {
        "slug": slug, "text_language": shown, "summary": text["summary"],
        "keywords": list(text["keywords"]), "answer_days": service["answer_days"],
        "cost": service["cost"], "source_hashes": dict(text["source_hashes"]),
    }
    return record


def _attribute(service_id: str, slug: str, kind: str, code: str, lang: str, gettext) -> dict:
    name, labels, description = TAXONOMIES[kind]
    term_id = hsds_id("taxonomy", kind, code)
    label = gettext(labels[code])
    return {
        "id": hsds_id("service", slug, kind), "link_id": service_id, "link_entity": "service",
        "taxonomy_term_id": term_id,
        "taxonomy_term": {
            # HSDS requires a description of a term; its label is all we have.
            "id": term_id, "code": code, "name": label, "description": label,
            "taxonomy": name, "taxonomy_id": hsds_id("taxonomy", kind),
            "taxonomy_detail": {"id": hsds_id("taxonomy", kind), "name": name,
                                "description": description, "version": "1"},
            "language": lang,
        },
    }


# Checking publications -----------------------------------------------------------------

@lru_cache(maxsize=4)
def schema_validators(schema_dir: Path = SCHEMA_DIR) -> dict | None:
    """Validators of the HSDS schemas by object ("organization", "service"), or None
    when the schemas are not there (they are not shipped with Wegwijzer)."""
    if not (schema_dir / "service.json").exists():
        return None
    return {
        name: Draft202012Validator(json.loads((schema_dir / f"{name}.json").read_text("utf-8")),
                                   format_checker=Draft202012Validator.FORMAT_CHECKER)
        for name in ("organization", "service")
    }


def schema_problems(document, validators: dict | None, name: str) -> list[str]:
    """The page's structure, then each organisation and service against its HSDS schema."""
    problems = _errors(Draft202012Validator(PAGE_SCHEMA), document, name)
    if problems or validators is None:
        return problems
    for kind, item, where in _items(document, name):
        problems += _errors(validators[kind], _own_fields(item), where)
    return problems


def _items(document: dict, name: str):
    """(kind, item, where) for each organisation and each of its services, in order."""
    for i, item in enumerate(document["contents"]):
        where = f"{name}: contents[{i}]{_label(item, 'organisation')}"
        yield "organization", item, where
        services = item.get("services", [])
        for j, record in enumerate(services if isinstance(services, list) else []):
            yield "service", record, f"{where} services[{j}]{_label(record, 'service')}"


def _own_fields(item):
    """An organisation without its services (each is checked on its own)."""
    if isinstance(item, dict) and isinstance(item.get("services"), list):
        return {key: value for key, value in item.items() if key != "services"}
    return item


def _errors(validator, instance, where: str) -> list[str]:
    errors = sorted(validator.iter_errors(instance),
                    key=lambda error: [(isinstance(part, str), part) for part in error.path])
    return [f"{where}: {_path(error.path) or '(whole item)'}: {_shorten(error.message)}"
            for error in errors]


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _shorten(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[:limit] + "..."


def _label(item, kind: str) -> str:
    """` (service 'caw-wonen')`, to name an item in a message, when its slug is readable."""
    extension = item.get(EXTENSION) if isinstance(item, dict) else None
    slug = extension.get("slug") if isinstance(extension, dict) else None
    return f" ({kind} {slug!r})" if isinstance(slug, str) else ""


# Publications -> catalogue -------------------------------------------------------------

class _Item:
    """Reads the fields of one item, keeping a problem for each one that is not right."""

    def __init__(self, where: str, problems: list[str]):
        self.where, self.problems = where, problems

    def problem(self, field: str, message: str) -> None:
        self.problems.append(f"{self.where}: {field}: {message}")

    def text(self, data: dict, key: str, limit: int, field: str | None = None) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            self.problem(field or key, "missing" if value is None else "must be a non-empty text")
        elif len(value) > limit:
            self.problem(field or key, f"longer than {limit} characters")
        return value

    def check(self, ok: bool, field: str, message: str) -> bool:
        if not ok:
            self.problem(field, message)
        return ok

    def extension(self, data: dict) -> dict:
        value = data.get(EXTENSION)
        if not isinstance(value, dict):
            self.problem(EXTENSION, "missing: not a Wegwijzer publication?")
            return {}
        return value

    def slug(self, extension: dict, kind: str, record_id) -> str | None:
        slug = extension.get("slug")
        valid = isinstance(slug, str) and SLUG.match(slug) is not None and len(slug) <= 80
        if not self.check(valid, f"{EXTENSION}.slug", f"must be a slug, not {slug!r}"):
            return None
        self.check(record_id == hsds_id(kind, slug), "id",
                   f"{record_id!r} is not the id of {kind} {slug!r} ({hsds_id(kind, slug)})")
        return slug


def read_publications(documents: dict[str, object], validators: dict | None) -> tuple[
        list[dict], list[dict]]:
    """Organisations and services (rows as read_catalogue gives them) from publications by
    file name; raises HsdsError with every problem found in any of them."""
    problems: list[str] = []
    entries = []  # (file, organisation row, service row or None)
    for name, document in documents.items():
        found = _errors(Draft202012Validator(PAGE_SCHEMA), document, name)
        problems += found
        if not found:
            entries += _read_page(name, document, validators, problems)
    organisations, services = _merge(entries, problems)
    if problems:
        raise HsdsError(problems)
    return organisations, services


def _read_page(name: str, document: dict, validators: dict | None,
               problems: list[str]) -> list[tuple]:
    """(file, organisation row, service row or None) for each item read without problems
    (items with problems would only add confusing disagreements between files)."""
    entries, org = [], None
    for kind, item, where in _items(document, name):
        row = _read_item(kind, item, org, where, validators, problems)
        if kind == "organization":
            org = row
        if row is not None and org is not None:
            entries.append((name, org, row if kind == "service" else None))
    return entries


def _read_item(kind: str, item, org: dict | None, where: str, validators: dict | None,
               problems: list[str]) -> dict | None:
    """An organisation or a service as a row, or None when it has problems.

    An item that breaks the HSDS schema is not read further: what Wegwijzer reads from it
    would mostly repeat the same problems.
    """
    before = len(problems)
    if validators is not None:
        problems += _errors(validators[kind], _own_fields(item), where)
    reader = _Item(where, problems)
    if len(problems) > before or not reader.check(isinstance(item, dict), "(whole item)",
                                                  "must be an object"):
        return None
    if kind == "organization":
        row = _read_organisation(item, reader)
    else:
        row = _read_service(item, org, reader)
    return row if len(problems) == before else None


def _read_organisation(item: dict, reader: _Item) -> dict:
    slug = reader.slug(reader.extension(item), "organization", item.get("id"))
    website = item.get("website")
    reader.check(website is None or isinstance(website, str) and len(website) <= 300,
                 "website", "must be a text of at most 300 characters")
    reader.check(isinstance(item.get("services", []), list), "services", "must be a list")
    return {"slug": slug, "name": reader.text(item, "name", 200), "website": website or None}


def _read_service(record: dict, org: dict | None, reader: _Item) -> dict:
    extension = reader.extension(record)
    slug = reader.slug(extension, "service", record.get("id"))
    if org is not None:  # else the organisation's own problems say enough
        org_id = hsds_id("organization", org["slug"])
        reader.check(record.get("organization_id", org_id) == org_id,
                     "organization_id", "is not the id of the organisation it is in")
    status = record.get("status")
    reader.check(status in STATUSES, "status",
                 f"{status!r}: Wegwijzer knows only {' and '.join(STATUSES)} (retired)")
    lang = extension.get("text_language")
    reader.check(lang in LANGUAGES, f"{EXTENSION}.text_language",
                 f"{lang!r} is not one of {', '.join(LANGUAGES)}")
    text = {
        "name": reader.text(record, "name", MAX_LENGTHS["name"]),
        "summary": reader.text(extension, "summary", MAX_LENGTHS["summary"],
                               f"{EXTENSION}.summary"),
        "who_for": reader.text(record, "eligibility_description", MAX_LENGTHS["who_for"]),
        "description": reader.text(record, "description", MAX_LENGTHS["description"]),
        "how_to_access": reader.text(record, "application_process",
                                     MAX_LENGTHS["how_to_access"]),
        "keywords": _keywords(extension, reader),
        "source_hashes": _source_hashes(extension, reader),
    }
    return {
        "slug": slug, "organisation": org and org["slug"],
        "domain": _term(record, "domain", reader), "access": _term(record, "access", reader),
        "answer_days": _answer_days(extension, reader), "cost": _cost(extension, reader),
        "retired": STATUSES.get(status),
        "last_checked": _date(record, reader), "updated_at": _timestamp(record, reader),
        "texts": {lang: text},
    }


def _keywords(extension: dict, reader: _Item) -> list[str]:
    keywords = extension.get("keywords")
    reader.check(isinstance(keywords, list) and all(isinstance(k, str) for k in keywords),
                 f"{EXTENSION}.keywords", "must be a list of texts")
    return keywords


def _source_hashes(extension: dict, reader: _Item) -> dict:
    hashes = extension.get("source_hashes", {})
    reader.check(isinstance(hashes, dict) and all(isinstance(h, str) for h in hashes.values()),
                 f"{EXTENSION}.source_hashes", "must map fields to texts")
    return hashes


def _answer_days(extension: dict, reader: _Item) -> int:
    days = extension.get("answer_days")
    reader.check(isinstance(days, int) and not isinstance(days, bool) and 1 <= days <= 365,
                 f"{EXTENSION}.answer_days", f"must be a number of days (1-365), not {days!r}")
    return days


def _cost(extension: dict, reader: _Item) -> str | None:
    cost = extension.get("cost")
    reader.check(cost in (None, *COSTS), f"{EXTENSION}.cost",
                 f"must be {', '.join(COSTS)} or null, not {cost!r}")
    return cost


def _term(record: dict, kind: str, reader: _Item) -> str | None:
    """The code of the service's term in our taxonomy `kind`."""
    name, labels, _ = TAXONOMIES[kind]
    attributes = record.get("attributes")
    codes = [attribute["taxonomy_term"].get("code")
             for attribute in (attributes if isinstance(attributes, list) else [])
             if isinstance(attribute, dict)
             and isinstance(attribute.get("taxonomy_term"), dict)
             and attribute["taxonomy_term"].get("taxonomy_id") == hsds_id("taxonomy", kind)]
    if not reader.check(len(codes) == 1, "attributes",
                        f"needs exactly one term of the taxonomy {name!r}, has {len(codes)}"):
        return None
    reader.check(codes[0] in labels, "attributes",
                 f"{codes[0]!r} is not a term of {name!r} ({', '.join(labels)})")
    return codes[0]


def _date(record: dict, reader: _Item) -> date | None:
    value = record.get("assured_date")
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        reader.problem("assured_date", f"{value!r} is not a date like 2024-01-31")
        return None


def _timestamp(record: dict, reader: _Item) -> datetime | None:
    """last_modified as naive UTC (how the database keeps times)."""
    value = record.get("last_modified")
    if value is None:
        return None
    if not (isinstance(value, str) and TIMESTAMP.fullmatch(value)):
        reader.problem("last_modified", f"{value!r} is not a time like 2024-01-31T12:00:00.000Z")
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _merge(entries: list[tuple], problems: list[str]) -> tuple[list[dict], list[dict]]:
    """One row per organisation and service from all files; the files must agree."""
    organisations: dict[str, tuple[str, dict]] = {}
    services: dict[str, tuple[str, dict]] = {}
    seen = set()
    for name, org, service in entries:
        if service is None:  # the organisation itself
            if org["slug"] in organisations:
                first, known = organisations[org["slug"]]
                _agree(known, org, ("name", "website"), f"organisation {org['slug']!r}",
                       (first, name), problems)
            organisations.setdefault(org["slug"], (name, org))
            continue
        slug = service["slug"]
        if (name, slug) in seen:
            problems.append(f"{name}: service {slug!r} appears more than once")
        seen.add((name, slug))
        if slug not in services:
            services[slug] = (name, service)
            continue
        first, known = services[slug]
        where = f"service {slug!r}"
        _agree(known, service, ("organisation", "domain", "access", "answer_days", "cost",
                                "retired", "last_checked"), where, (first, name), problems)
        times = [t for t in (known["updated_at"], service["updated_at"]) if t is not None]
        known["updated_at"] = max(times, default=None)
        for lang, text in service["texts"].items():
            if known["texts"].setdefault(lang, text) != text:
                problems.append(f"{where}: its text in {lang!r} differs between {first} and "
                                f"{name}")
    return ([organisations[slug][1] for slug in sorted(organisations)],
            [services[slug][1] for slug in sorted(services)])


def _agree(known: dict, other: dict, keys, where: str, files, problems: list[str]) -> None:
    for key in keys:
        if known[key] != other[key]:
            problems.append(f"{where}: {key} is {known[key]!r} in {files[0]} but "
                            f"{other[key]!r} in {files[1]}")


# Files ---------------------------------------------------------------------------------

def export_files(session: Session, folder: Path, validators: dict | None) -> list[Path]:
    """Writes one publication per language into `folder`, after checking them all."""
    organisations, services = read_catalogue(session)
    documents = {FILE_NAME.format(lang=lang): publication(organisations, services, lang)
                 for lang in LANGUAGES}
    problems = [problem for name, document in documents.items()
                for problem in schema_problems(document, validators, name)]
    if problems:
        raise HsdsError(problems)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, document in documents.items():
        paths.append(folder / name)
        paths[-1].write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return paths


def import_files(session: Session, paths: list[Path], validators: dict | None) -> LoadReport:
    """Reads publications and writes them to the database: all of them, or nothing."""
    documents, problems = {}, []
    for path in paths:
        try:
            documents[str(path)] = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{path}: cannot be read: {error}")
        except json.JSONDecodeError as error:
            problems.append(f"{path}: not JSON: {error}")
    try:
        rows = read_publications(documents, validators)
    except HsdsError as error:
        problems += error.problems
    if problems:
        raise HsdsError(problems)
    return write_catalogue(session, *rows)
