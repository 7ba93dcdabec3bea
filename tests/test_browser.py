"""The detainee page in Debian's chromium, driven by Playwright."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import new_detainee
from tests.test_console import PASSWORD, make_staff
from wegwijzer.i18n import translations

pytestmark = pytest.mark.browser

@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-BE")
    page = context.new_page()
    yield page
    context.close()


def test_search_open_a_service_and_switch_to_arabic(assistant, page, tmp_path):
    page.goto(f"{assistant}/?lang=nl")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.fill("#q", "werk zoeken")
    page.click("form.search button")
    first = page.locator("#services li a").first
    expect(first).to_be_visible()
    first.click()
    expect(page).to_have_url(re.compile(r"/services/[a-z0-9-]+$"))
    expect(page.locator("article.service h1")).not_to_be_empty()

    page.click("nav.languages a[data-lang=ar]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.screenshot(path=tmp_path / "service-ar.png", full_page=True)

    # The language is remembered on the next page.
    page.goto(f"{assistant}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_chat_from_the_page(assistant, page):
    page.goto(f"{assistant}/?lang=en")
    page.fill("#chat-input", "I need a place to live after release")
    page.click("#chat-form button")
    link = page.locator("#chat-messages a.service-link[data-slug=caw-wonen]")
    expect(link).to_be_visible(timeout=30_000)
    link.click()
    expect(page.locator("article.service h1")).not_to_be_empty()


def test_the_page_says_when_the_chat_is_unavailable(kiosk, page):
    page.goto(f"{kiosk}/?lang=fr")
    page.fill("#chat-input", "bonjour")
    page.click("#chat-form button")
    notice = page.locator("#chat-messages li.notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(translations("fr").gettext(
        "The chat assistant is not available right now. "
        "You can still search and read about all services."))


def sign_in(page, base, number, pin="4321"):
    page.goto(f"{base}/signin")
    page.fill("#number", number)
    page.fill("#pin", pin)
    page.click("form.stacked button[type=submit]")


def test_an_idle_session_counts_down_and_signs_out(short_idle_kiosk, db, page, tmp_path):
    number = new_detainee(db)
    sign_in(page, short_idle_kiosk, number)
    expect(page).to_have_url(re.compile(r"/requests$"))
    expect(page.locator("#countdown")).to_contain_text("s")
    page.screenshot(path=tmp_path / "requests.png", full_page=True)
    # Nobody touches the screen: the page signs out by itself and shows nothing personal.
    expect(page.locator("a[href='/signin?next=/requests']")).to_be_visible(timeout=10_000)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"{short_idle_kiosk}/requests")
    expect(page).to_have_url(re.compile(r"/signin"))


def test_asked_in_french_scheduled_in_dutch_read_in_french(kiosk, db, browser, tmp_path):
    number = new_detainee(db, lang="fr")
    worker = make_staff(db, "frontoffice")
    detainee = browser.new_context(locale="fr-BE").new_page()
    staff = browser.new_context(locale="nl-BE").new_page()

    # The detainee asks from a service page, in French.
    sign_in(detainee, kiosk, number)
    detainee.goto(f"{kiosk}/services/caw-wonen?lang=fr")
    detainee.click("a.button[href^='/requests/new']")
    detainee.fill("#about", "Je n'ai pas de logement pour ma sortie en mars")
    detainee.check("input[name=interpreter][value=yes]")
    detainee.click("form.stacked button[type=submit]")
    expect(detainee.locator("p.state")).to_have_text("Envoyée")
    ref = detainee.locator("p.reference code").inner_text()

    # The frontoffice finds it in the queue and schedules it, in Dutch.
    staff.goto(f"{kiosk}/staff/signin")
    staff.fill("#username", worker)
    staff.fill("#password", PASSWORD)
    staff.click("form button[type=submit]")
    row = staff.locator("tr", has_text=ref)
    expect(row).to_contain_text("pas de logement")
    row.locator("a").click()
    staff.fill("#schedule-date", "2026-12-03")
    staff.fill("#schedule-time", "10:30")
    staff.fill("#schedule-place", "Lokaal 2, sectie B")
    staff.locator("form:has(input[value=schedule]) button[type=submit]").click()
    expect(staff.locator("body")).to_contain_text("Afspraak gepland")
    staff.screenshot(path=tmp_path / "console-request.png", full_page=True)

    # The detainee reads the date as French people write it.
    detainee.reload()
    expect(detainee.locator("p.state")).to_have_text("Rendez-vous prévu")
    expect(detainee.locator("p.appointment")).to_contain_text("jeudi 3 décembre 2026 10:30")
    expect(detainee.locator("p.appointment")).to_contain_text("Lokaal 2, sectie B")
    detainee.screenshot(path=tmp_path / "request-fr.png", full_page=True)
