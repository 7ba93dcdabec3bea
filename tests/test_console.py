"""The staff console: sign-in, CSRF, who sees and does what with requests, accounts, CLI.

Accounts and requests are made directly in the database of the session's data directory;
everything staff do goes through a real kiosk process, as a browser would.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from datetime import datetime

import pytest
from sqlalchemy import select

from kiosk import accounts, queue
from kiosk.models import AuditEntry, Detainee, HelpRequest, StaffUser
from knowledge.models import Organisation, Service
from tests.conftest import STAFF_PASSWORD, Console, environment, make_settings, new_staff

PASSWORD = STAFF_PASSWORD
ALL_ACTIONS = ("triage", "route", "schedule", "message", "done", "decline", "merge", "cancel")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def sessions(db):
    return db


@pytest.fixture
def console(kiosk):
    """Makes signed-in consoles: console(username) or console() for a signed-out one."""
    opened = []

    def open_console(username: str | None = None) -> Console:
        browser = Console(kiosk)
        opened.append(browser)
        if username:
            assert browser.sign_in(username).status_code == 303
        return browser

    yield open_console
    for browser in opened:
        browser.http.close()


def make_staff(sessions, role: str, organisation: str | None = None) -> str:
    """A staff member with PASSWORD: their username."""
    return new_staff(sessions, role, organisation).username


def make_detainee(sessions) -> int:
    with sessions() as db:
        detainee = accounts.create_detainee(db, unique("T"), "1234", section="B2",
                                            first_detention=True)
        db.commit()
        return detainee.id


def file(sessions, detainee_id: int, about: str, service: str | None = None,
         consent: bool = True) -> HelpRequest:
    with sessions() as db:
        return queue.file_request(db, db.get(Detainee, detainee_id), queue.NewRequest(
            about=about, lang="nl", service_slug=service, consent=consent))


def reload(sessions, request_id: int) -> HelpRequest:
    with sessions() as db:
        return db.get(HelpRequest, request_id)


def organisation_of(sessions, slug: str) -> str:
    with sessions() as db:
        return db.scalar(select(Service).where(Service.slug == slug)).organisation.slug


# Signing in ----------------------------------------------------------------------

def test_staff_sign_in_and_a_wrong_password(sessions, console):
    username = make_staff(sessions, "frontoffice")
    browser = console()
    refused = browser.sign_in(username, "not the password")
    assert refused.status_code == 401
    assert "Gebruikersnaam of wachtwoord klopt niet." in refused.text
    assert browser.get("/staff").status_code == 303  # still signed out
    too_soon = browser.sign_in(username)  # each wrong try makes the next one wait
    assert too_soon.status_code == 401
    assert re.search(r'class="error"[^>]*>[^<{]*\b1\b[^<{]*</p>', too_soon.text)

    time.sleep(1.1)
    signed_in = browser.sign_in(username)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/staff"
    page = browser.get("/staff")
    assert page.status_code == 200
    assert f"Name {username}" in page.text and "Afmelden" in page.text

    assert browser.post("/staff/signout").status_code == 303
    assert browser.get("/staff").headers["location"].startswith("/staff/signin")


def test_sign_in_goes_back_to_the_page_asked_but_stays_on_this_site(sessions, console):
    username = make_staff(sessions, "frontoffice")
    browser = console()
    asked = browser.post("/staff/signin", username=username, password=PASSWORD,
                         next="/staff/detainees")
    assert asked.headers["location"] == "/staff/detainees"
    elsewhere = console().post("/staff/signin", username=username, password=PASSWORD,
                               next="//evil.example/")
    assert elsewhere.headers["location"] == "/staff"


def test_a_form_without_csrf_token_is_refused(sessions, console):
    username = make_staff(sessions, "frontoffice")
    filed = file(sessions, make_detainee(sessions), "Ik zoek werk")
    browser = console(username)
    forged = browser.http.post(f"/staff/requests/{filed.id}", data={"action": "triage"})
    assert forged.status_code == 403
    wrong = browser.http.post(f"/staff/requests/{filed.id}",
                              data={"action": "triage", "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    assert reload(sessions, filed.id).state == "submitted"
    assert console().http.post("/staff/signin", data={"username": username,
                                                      "password": PASSWORD}).status_code == 403


# Who sees and does what ----------------------------------------------------------

def test_an_editor_sees_only_their_organisations_requests_shared_with_consent(sessions,
                                                                             console):
    editor = make_staff(sessions, "editor", organisation_of(sessions, "caw-wonen"))
    person = make_detainee(sessions)
    theirs = file(sessions, person, "Ik heb geen woning na mijn vrijlating", "caw-wonen")
    no_consent = file(sessions, person, "Ik zoek een huis", "caw-wonen", consent=False)
    elsewhere = file(sessions, person, "Ik zoek werk na mijn straf", "vdab-loopbaan")
    browser = console(editor)

    listed = browser.get("/staff").text
    assert theirs.ref in listed
    assert no_consent.ref not in listed and elsewhere.ref not in listed
    detail = browser.get(f"/staff/requests/{theirs.id}")
    assert detail.status_code == 200
    assert elsewhere.ref not in detail.text and no_consent.ref not in detail.text

    for hidden in (no_consent, elsewhere):
        assert browser.get(f"/staff/requests/{hidden.id}").status_code == 404
        for action in ALL_ACTIONS:
            answer = browser.post(f"/staff/requests/{hidden.id}", action=action,
                                  message="x", reason="no_places", date="2030-01-02",
                                  time="10:00", place="Lokaal 1", service="caw-wonen",
                                  into_ref=theirs.ref)
            assert answer.status_code == 404, action
        assert reload(sessions, hidden.id).state == "submitted"
    assert browser.get("/staff/detainees").status_code == 403
    assert browser.get("/staff/accounts").status_code == 403

    # Their own: they answer it, but routing stays with the frontoffice.
    assert 'value="route"' not in detail.text
    refused = browser.post(f"/staff/requests/{theirs.id}", action="route",
                           service="vdab-loopbaan")
    assert refused.status_code == 400
    assert "U mag dit niet doen" in refused.text
    done = browser.post(f"/staff/requests/{theirs.id}", action="schedule", date="2030-01-02",
                        time="10:00", place="Lokaal 1")
    assert done.status_code == 303
    assert reload(sessions, theirs.id).state == "scheduled"


def test_the_frontoffice_triages_routes_and_schedules(sessions, console):
    worker = make_staff(sessions, "frontoffice")
    filed = file(sessions, make_detainee(sessions), "Ik weet niet waar ik moet wonen")
    browser = console(worker)
    page = f"/staff/requests/{filed.id}"
    assert "frontoffice beslist" in browser.get("/staff").text

    assert browser.post(page, action="triage", message="We bekijken het.").status_code == 303
    routed = browser.post(page, action="route", service="caw-wonen")
    assert routed.status_code == 303 and routed.headers["location"] == page
    missing = browser.post(page, action="schedule", date="2030-05-06", time="14:30", place="")
    assert missing.status_code == 400
    assert "Geef een datum, een uur en een plaats." in missing.text
    assert browser.post(page, action="schedule", date="2030-05-06", time="14:30",
                        place="Lokaal 3").status_code == 303

    with sessions() as db:
        item = db.get(HelpRequest, filed.id)
        assert (item.state, item.service.slug) == ("scheduled", "caw-wonen")
        assert (item.scheduled_at, item.place) == (datetime(2030, 5, 6, 14, 30), "Lokaal 3")
        me = db.scalar(select(StaffUser).where(StaffUser.username == worker))
        assert [(event.kind, event.staff_id) for event in item.events] == [
            ("filed", None), ("state", me.id), ("routed", me.id), ("state", me.id)]
    history = browser.get(page).text
    assert f"Name {worker}" in history and "We bekijken het." in history
    assert "Lokaal 3" in history


def test_the_frontoffice_merges_duplicates(sessions, console):
    worker = make_staff(sessions, "frontoffice")
    person = make_detainee(sessions)
    first = file(sessions, person, "Ik zoek een woning na mijn vrijlating", "caw-wonen")
    second = file(sessions, person, "Ik zoek een woning voor na de vrijlating", "ocmw-sociaal-huis")
    someone_else = file(sessions, make_detainee(sessions), "Ik zoek een woning na mijn vrijlating")
    browser = console(worker)
    group = browser.get("/staff").text.split(first.ref)[1].split("</section>")[0]
    assert "mogelijk dubbel" in group

    detail = browser.get(f"/staff/requests/{first.id}").text
    assert f'<option value="{second.ref}"' in detail
    assert someone_else.ref not in detail
    other_person = browser.post(f"/staff/requests/{first.id}", action="merge",
                                into_ref=someone_else.ref)
    assert other_person.status_code == 400
    assert browser.post(f"/staff/requests/{first.id}", action="merge",
                        into_ref=second.ref).status_code == 303
    merged = reload(sessions, first.id)
    assert (merged.state, merged.merged_into_id) == ("cancelled", second.id)
    assert reload(sessions, second.id).state == "submitted"


def test_a_coordinator_can_look_but_not_act(sessions, console):
    coordinator = make_staff(sessions, "coordinator")
    filed = file(sessions, make_detainee(sessions), "Ik wil leren lezen", "cvo-nederlands")
    browser = console(coordinator)
    assert filed.ref in browser.get("/staff").text
    detail = browser.get(f"/staff/requests/{filed.id}")
    assert detail.status_code == 200 and 'name="action"' not in detail.text
    refused = browser.post(f"/staff/requests/{filed.id}", action="triage")
    assert refused.status_code == 400
    assert reload(sessions, filed.id).state == "submitted"
    assert browser.get("/staff/detainees").status_code == 403


# Detainees and accounts ----------------------------------------------------------

def test_the_frontoffice_manages_detainees(sessions, console):
    worker = make_staff(sessions, "frontoffice")
    browser = console(worker)
    number = unique("N")
    bad = browser.post("/staff/detainees", number=number, pin="12", lang="fr")
    assert bad.status_code == 400 and "4 tot 8 cijfers" in bad.text
    created = browser.post("/staff/detainees", number=number, pin="4321", lang="ar",
                           section="A1", intake_date="2024-03-01", first_detention="yes")
    assert created.status_code == 303
    page = created.headers["location"]
    assert number in browser.get("/staff/detainees", q=number).text

    with sessions() as db:
        detainee = db.scalar(select(Detainee).where(Detainee.number == number))
        assert (detainee.lang, detainee.section, detainee.first_detention) == ("ar", "A1", True)
        for _ in range(accounts.MAX_FAILURES):
            accounts.record_failure(detainee, datetime.utcnow())
        db.commit()
    assert "Vergrendeld" in browser.get(page).text
    assert browser.post(page, action="unlock").status_code == 303
    assert "Vergrendeld" not in browser.get(page).text
    assert browser.post(page, action="pin", pin="98765").status_code == 303
    # Unticked boxes are absent from the form: first_detention is cleared.
    assert browser.post(page, action="update", lang="tr", section="C3", is_peer="yes",
                        active="yes").status_code == 303
    assert browser.post(page, action="lead", service="caw-trajectbegeleiding").status_code == 303

    with sessions() as db:
        detainee = db.scalar(select(Detainee).where(Detainee.number == number))
        assert (detainee.lang, detainee.section, detainee.is_peer) == ("tr", "C3", True)
        assert detainee.first_detention is False and detainee.active is True
        assert detainee.lead_service.slug == "caw-trajectbegeleiding"
        assert accounts.sign_in_detainee(db, number, "98765", datetime.utcnow())
        actions = list(db.scalars(select(AuditEntry.action).where(
            AuditEntry.target == f"detainee:{number}").order_by(AuditEntry.id)))
    assert actions == ["detainee.create", "unlock", "detainee.pin", "detainee.update",
                       "detainee.lead"]


def test_only_admins_manage_staff_accounts(sessions, console):
    worker = make_staff(sessions, "frontoffice")
    refused = console(worker)
    assert refused.get("/staff/accounts").status_code == 403
    assert refused.post("/staff/accounts", username=unique("x"), password=PASSWORD,
                        role="admin").status_code == 403

    admin = console(make_staff(sessions, "admin"))
    assert admin.get("/staff").headers["location"] == "/staff/accounts"
    assert admin.get("/staff/requests/1").status_code == 403
    editor = unique("editor-")
    no_organisation = admin.post("/staff/accounts", username=editor, password=PASSWORD,
                                 role="editor")
    assert no_organisation.status_code == 400
    assert "Een redacteur hoort bij een organisatie." in no_organisation.text
    with sessions() as db:
        organisation = db.scalar(select(Organisation).where(Organisation.slug == "vdab"))
    assert admin.post("/staff/accounts", username=editor, password=PASSWORD, role="editor",
                      organisation=str(organisation.id)).status_code == 303
    assert editor in admin.get("/staff/accounts").text

    with sessions() as db:
        user = db.scalar(select(StaffUser).where(StaffUser.username == worker))
    assert admin.post(f"/staff/accounts/{user.id}", action="deactivate").status_code == 303
    assert refused.get("/staff").status_code == 303  # the session ended with the account
    assert console().sign_in(worker).status_code == 401
    assert admin.post(f"/staff/accounts/{user.id}", action="activate").status_code == 303
    assert admin.post(f"/staff/accounts/{user.id}", action="password",
                      password="a new long password").status_code == 303
    assert console().sign_in(worker, "a new long password").status_code == 303


# The command line ----------------------------------------------------------------

def test_create_admin_makes_an_administrator_who_can_sign_in(data_dir, console):
    settings = make_settings(data_dir)
    username = unique("admin-")

    def create_admin(password: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "wegwijzer", "create-admin", username],
            env={**environment(settings), **settings.as_env(),
                 "WEGWIJZER_ADMIN_PASSWORD": password},
            capture_output=True, text=True, timeout=120)

    too_short = create_admin("short")
    assert too_short.returncode == 1
    assert "minstens 10 tekens" in too_short.stderr
    created = create_admin(PASSWORD)
    assert created.returncode == 0, created.stderr
    assert create_admin(PASSWORD).returncode == 1  # exists already

    browser = console(username)
    assert browser.get("/staff").headers["location"] == "/staff/accounts"
    assert username in browser.get("/staff/accounts").text
