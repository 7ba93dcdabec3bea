"""Staff keep the catalogue right: who may edit what, versions with diff and rollback,
outdated translations, and changes live at once in search without a restart.

These tests change the catalogue, so they have a data directory and a kiosk of their own.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge import Catalogue, editing
from knowledge.models import Service
from tests.conftest import (
    Console,
    make_settings,
    new_staff,
    prepare_data_dir,
    start_kiosk,
    stop,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return prepare_data_dir(tmp_path_factory.mktemp("editing"))


@pytest.fixture(scope="module")
def catalogue(folder) -> Catalogue:
    return Catalogue.from_settings(make_settings(folder))


@pytest.fixture(scope="module")
def base(folder):
    settings = make_settings(folder)
    process = start_kiosk(settings)
    yield settings.kiosk_url
    stop(process)


def staff(catalogue, role: str, organisation: str | None = None):
    user = new_staff(catalogue.sessions, role, organisation)
    return user, user.username


def load(db, slug: str) -> Service:
    return db.scalar(select(Service).where(Service.slug == slug).options(
        selectinload(Service.texts), selectinload(Service.versions)))


def texts_of(service: Service, lang: str) -> dict:
    text = service.texts[lang]
    return {field: getattr(text, field) for field in editing.TEXT_FIELDS} | {
        "keywords": ", ".join(text.keywords)}


def console_as(base: str, username: str) -> Console:
    """A console signed in as `username`."""
    console = Console(base)
    assert console.sign_in(username).status_code == 303
    return console


def test_a_changed_dutch_text_makes_its_translations_outdated_until_saved(catalogue):
    coordinator, _ = staff(catalogue, "coordinator")
    with catalogue.sessions() as db:
        service = load(db, "sportaanbod")
        assert editing.status(service, "fr") == "ok"
        dutch = texts_of(service, "nl") | {"summary": "Sporten in de gevangenis, elke week."}
        editing.save_text(db, service, "nl", dutch, coordinator)
        assert editing.outdated_fields(service, "fr") == ["summary"]
        assert editing.status(service, "ar") == "outdated"
        coverage = {row.lang: row for row in editing.coverage(editing.editable_services(
            db, coordinator))}
        assert coverage["fr"].outdated == 1 and coverage["nl"].outdated == 0
        editing.save_text(db, service, "fr", texts_of(service, "fr"), coordinator)
        assert editing.status(service, "fr") == "ok"
        assert service.last_checked == date.today()


def test_every_change_is_a_version_that_can_be_compared_and_restored(catalogue):
    coordinator, _ = staff(catalogue, "coordinator")
    with catalogue.sessions() as db:
        service = load(db, "gevangenisbibliotheek")
        before = texts_of(service, "en")
        editing.save_text(db, service, "en", before | {"summary": "Books, films and games."},
                          coordinator)
        first, second = service.versions[-2:]
        changes = editing.compare(service, second.number)
        assert [change.what for change in changes] == ["en · summary"]
        assert ("+", "games.") in changes[0].parts and ("-", "Borrow books,") in changes[0].parts
        editing.restore(db, service, first.number, coordinator)
        assert service.texts["en"].summary == before["summary"]
        assert service.versions[-1].note == f"Teruggezet naar versie {first.number}"


def test_an_editor_edits_only_their_own_organisations_services(catalogue, base):
    _, username = staff(catalogue, "editor", "caw-limburg")
    editor = console_as(base, username)
    page = editor.http.get("/staff/catalogue")
    assert "caw-wonen" in page.text and "vdab-loopbaan" not in page.text
    assert editor.http.get("/staff/catalogue/caw-wonen").status_code == 200
    for path in ("/staff/catalogue/vdab-loopbaan", "/staff/catalogue/vdab-loopbaan/versies"):
        assert editor.http.get(path).status_code == 404
    refused = editor.post("/staff/catalogue/vdab-loopbaan", what="checked", lang="nl")
    assert refused.status_code == 404
    assert editor.post("/staff/catalogue/vdab-loopbaan/versies", versie="1").status_code == 404
    assert editor.http.get("/staff/catalogue/nieuw").status_code == 403
    with catalogue.sessions() as db:
        assert load(db, "vdab-loopbaan").versions[-1].note == "Catalogusbestanden geladen"


def test_a_change_is_live_in_search_at_once(catalogue, base):
    _, username = staff(catalogue, "editor", "caw-limburg")
    editor = console_as(base, username)
    word = f"zorgkompas{uuid.uuid4().hex[:4]}"
    with catalogue.sessions() as db:
        fields = texts_of(load(db, "caw-wonen"), "nl")
    saved = editor.post("/staff/catalogue/caw-wonen", what="text", lang="nl",
                        **(fields | {"keywords": f"{fields['keywords']}, {word}"}))
    assert saved.status_code == 303
    results = httpx.get(f"{base}/api/services", params={"q": word, "lang": "nl"}).json()
    assert [hit["slug"] for hit in results["results"]][:1] == ["caw-wonen"]


def test_what_a_service_costs_is_set_in_the_console_and_shown_in_every_language(catalogue,
                                                                                base):
    _, username = staff(catalogue, "coordinator")
    coordinator = console_as(base, username)
    page = httpx.get(f"{base}/services/sportaanbod", params={"lang": "fr"}).text
    assert 'class="cost"' not in page  # not known: nothing is claimed
    saved = coordinator.post("/staff/catalogue/sportaanbod", what="settings", lang="nl",
                             domain="sport", access="group", answer_days="14", cost="free")
    assert saved.status_code == 303
    page = httpx.get(f"{base}/services/sportaanbod", params={"lang": "fr"}).text
    assert '<p class="cost" lang="fr" dir="ltr">Gratuit pour vous.</p>' in page
    with catalogue.sessions() as db:
        service = load(db, "sportaanbod")
        changes = editing.compare(service, service.versions[-1].number)
        assert [change.what for change in changes] == ["cost"]
    refused = coordinator.post("/staff/catalogue/sportaanbod", what="settings", lang="nl",
                               domain="sport", access="group", answer_days="14", cost="cheap")
    assert refused.status_code == 400
    assert catalogue.service("sportaanbod", "nl").cost == "free"


def test_bad_input_is_refused_and_nothing_changes(catalogue, base):
    _, username = staff(catalogue, "coordinator")
    coordinator = console_as(base, username)
    with catalogue.sessions() as db:
        count = len(load(db, "logo-gezondheid").versions)
    empty = coordinator.post("/staff/catalogue/logo-gezondheid", what="text", lang="fr",
                             name="", summary="x", description="x", how_to_access="x")
    assert empty.status_code == 400 and "Vul" in empty.text
    days = coordinator.post("/staff/catalogue/logo-gezondheid", what="settings", lang="nl",
                            domain="gezondheid", access="frontoffice", answer_days="0")
    assert days.status_code == 400
    with catalogue.sessions() as db:
        assert len(load(db, "logo-gezondheid").versions) == count


def test_a_coordinator_adds_and_retires_a_service_whose_slug_stays_taken(catalogue, base):
    _, username = staff(catalogue, "coordinator")
    coordinator = console_as(base, username)
    slug = f"schrijfatelier-{uuid.uuid4().hex[:4]}"
    fields = {"name": "Schrijfatelier", "summary": "Samen schrijven, elke dinsdag.",
              "who_for": "Voor iedereen die graag schrijft.",
              "description": "Je schrijft verhalen en gedichten met een schrijver.",
              "how_to_access": "Vraag het via de frontoffice.", "keywords": "schrijven",
              "organisation": "vormingplus-limburg", "domain": "cultuur",
              "access": "frontoffice", "answer_days": "10"}
    added = coordinator.post("/staff/catalogue/nieuw", slug=slug, **fields)
    assert added.status_code == 303, added.text[:500]
    found = httpx.get(f"{base}/api/services", params={"q": "schrijfatelier", "lang": "nl"})
    assert slug in [hit["slug"] for hit in found.json()["results"]]

    assert coordinator.post(f"/staff/catalogue/{slug}", what="retire", lang="nl") \
        .status_code == 303
    found = httpx.get(f"{base}/api/services", params={"q": "schrijfatelier", "lang": "nl"})
    assert slug not in [hit["slug"] for hit in found.json()["results"]]
    assert slug not in httpx.get(f"{base}/").text
    again = coordinator.post("/staff/catalogue/nieuw", slug=slug, **fields)
    assert again.status_code == 400 and "bestond al" in again.text


def test_services_nobody_checked_are_listed_for_their_editor(catalogue, base):
    _, username = staff(catalogue, "editor", "caw-limburg")
    with catalogue.sessions() as db:
        load(db, "caw-ifg").last_checked = date.today() - timedelta(days=400)
        load(db, "caw-ouder-kind").last_checked = date.today()
        db.commit()
    page = console_as(base, username).http.get("/staff/catalogue").text
    unchecked = page.split('class="unchecked"')[1].split("</ul>")[0]
    assert "caw-ifg" in unchecked and "caw-ouder-kind" not in unchecked
