"""The detainee page in Debian's chromium, driven by Playwright."""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import new_detainee
from wegwijzer.i18n import translations

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
