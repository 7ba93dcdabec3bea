"""Printable sheets and booklet, and the domains' icons and colours they (and the pages) show."""

import re
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.dates import format_date
from markupsafe import escape
from sqlalchemy import select

from kiosk import chat
from kiosk.templates import Templates
from knowledge import labels
from knowledge.models import Service
from wegwijzer.i18n import translations
from wegwijzer.languages import LANGUAGES, text_direction

STATIC = Path(__file__).resolve().parent.parent / "kiosk" / "static"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def assert_printable(page: str, lang: str) -> None:
    """Right language and direction, the print stylesheet and Print button, nothing inline."""
    assert f'lang="{lang}"' in html_tag(page)
    assert f'dir="{text_direction(lang)}"' in html_tag(page)
    assert '<link rel="stylesheet" href="/static/print.css">' in page
    assert '<script src="/static/print.js" defer></script>' in page
    assert 'id="print-button"' in page
    assert escape(translations(lang).gettext("Print")) in page
    assert not INLINE_SCRIPT.search(page)
    assert " style=" not in page and " onclick=" not in page


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_sheet_per_service_in_each_language(kiosk, client, lang):
    service = client.get(f"{kiosk}/api/services/caw-wonen", params={"lang": lang}).json()
    response = client.get(f"{kiosk}/services/caw-wonen/print", params={"lang": lang})
    assert response.status_code == 200
    page = response.text
    assert_printable(page, lang)
    for field in ("name", "summary", "who_for", "description", "how_to_access", "organisation"):
        assert escape(service[field]) in page
    assert 'class="sheet domain-wonen"' in page
    assert 'src="/static/icons/domain-wonen.svg"' in page
    assert escape(translations(lang).gettext(labels.DOMAINS["wonen"])) in page


def test_the_arabic_sheet_reads_right_to_left(kiosk, client):
    page = client.get(f"{kiosk}/services/caw-wonen/print", params={"lang": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert 'lang="ar" dir="rtl"' in page.split('class="sheet domain-wonen"', 1)[1][:40]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_booklet_of_the_whole_catalogue_in_each_language(kiosk, client, lang):
    services = client.get(f"{kiosk}/api/services", params={"lang": lang}).json()["results"]
    response = client.get(f"{kiosk}/print", params={"lang": lang})
    assert response.status_code == 200
    page = response.text
    assert_printable(page, lang)
    assert page.count('<article class="sheet ') == len(services) == 36
    for service in services:
        assert escape(service["name"]) in page and escape(service["summary"]) in page
    # One section per domain, in the order of the catalogue's vocabulary.
    sections = re.findall(r'<section class="booklet-domain domain-(\w+)">', page)
    assert sections == list(labels.DOMAINS)


def test_an_unknown_service_has_no_sheet(kiosk, client):
    response = client.get(f"{kiosk}/services/no-such-service/print", params={"lang": "en"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_catalogue_text_is_escaped_on_sheets_and_in_the_booklet(kiosk, client, catalogue):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)> & co'
    with catalogue.sessions() as session:
        service = session.scalar(select(Service).where(Service.slug == "caw-wonen"))
        text = service.texts["en"]
        before = text.name, text.description
        text.name, text.description = evil, evil
        session.commit()
        try:
            for url in ("/services/caw-wonen/print", "/print"):
                page = client.get(f"{kiosk}{url}", params={"lang": "en"}).text
                assert evil not in page
                assert str(escape(evil)) in page
                assert not INLINE_SCRIPT.search(page)
        finally:
            text.name, text.description = before
            session.commit()


def test_the_service_page_and_home_page_link_to_the_printable_pages(kiosk, client):
    service = client.get(f"{kiosk}/services/caw-wonen", params={"lang": "fr"}).text
    assert 'href="/services/caw-wonen/print?lang=fr"' in service
    home = client.get(f"{kiosk}/", params={"lang": "ar"}).text
    assert 'href="/print?lang=ar"' in home


def test_the_service_list_and_page_show_each_domains_icon_and_colour(kiosk, client, catalogue):
    home = client.get(f"{kiosk}/", params={"lang": "en"}).text
    domains = catalogue.domains()
    assert len(domains) == 36
    for slug, domain in domains.items():
        item = re.search(rf'<li class="domain-(\w+)">\s*<a href="/services/{slug}">', home)
        assert item and item.group(1) == domain
    assert home.count('<span class="domain-icon domain-') == 36
    page = client.get(f"{kiosk}/services/sportaanbod", params={"lang": "en"}).text
    assert '<article class="service domain-sport"' in page
    assert 'src="/static/icons/domain-sport.svg"' in page


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("domain", list(labels.DOMAINS))
def test_each_domain_has_an_icon_and_a_readable_colour(domain):
    icon = ElementTree.parse(STATIC / "icons" / f"domain-{domain}.svg").getroot()
    assert icon.tag == "{http://www.w3.org/2000/svg}svg" and icon.get("viewBox")
    css = (STATIC / "style.css").read_text()
    colour = re.search(rf"\.domain-{domain} {{ --domain: (#[0-9a-f]{{6}});", css).group(1)
    # White icons on the colour, and the colour as text on white: WCAG AA for text.
    assert (1.05 / (relative_luminance(colour) + 0.05)) >= 4.5


def render(name: str, lang: str, **context) -> str:
    return Templates().environments[lang].get_template(name).render(**context)


@pytest.mark.parametrize("lang", ["fr", "ar", "pl"])
def test_last_checked_is_shown_as_a_date_of_the_pages_language(catalogue, lang):
    page = catalogue.service("caw-wonen", lang)
    checked = SimpleNamespace(**{**page.__dict__, "last_checked": date(2026, 3, 5)})
    shown = translations(lang).gettext("Last checked: %(date)s") % {
        "date": format_date(date(2026, 3, 5), "long", locale=lang)}
    context = dict(domain_labels=labels.DOMAINS, access_labels=labels.ACCESS_MODES,
                   printed_on=date(2026, 3, 6))
    assert str(escape(shown)) in render("print/sheet.html", lang, service=checked, **context)
    assert str(escape(shown)) in render(
        "service.html", lang, service=checked, domain_label=labels.DOMAINS[page.domain],
        access_label=labels.ACCESS_MODES[page.access])


def test_without_a_last_checked_date_nothing_is_shown(catalogue):
    page = catalogue.service("caw-wonen", "en")
    for last_checked in (None, "missing"):
        service = SimpleNamespace(**page.__dict__)
        if last_checked != "missing":
            service.last_checked = last_checked
        sheet = render("print/sheet.html", "en", service=service, domain_labels=labels.DOMAINS,
                       access_labels=labels.ACCESS_MODES, printed_on=date(2026, 3, 6))
        assert "last-checked" not in sheet and "Last checked" not in sheet


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_printed_sheet_shows_the_domains_icon_and_colour(kiosk, browser, lang, tmp_path):
    page = browser.new_page()
    page.goto(f"{kiosk}/services/caw-wonen/print?lang={lang}")
    assert page.locator("#print-button").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("#print-button").is_visible()  # not on paper
    icon = page.locator(".sheet-head .domain-icon")
    assert icon.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 79, 184)"
    assert page.locator(".sheet-head img").evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=tmp_path / f"sheet-{lang}.png", full_page=True)
    pdf = page.pdf(path=tmp_path / f"sheet-{lang}.pdf", format="A4", print_background=True)
    assert pdf_pages(pdf) == 1
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_longest_service_still_fits_on_one_sheet(kiosk, browser, catalogue, lang):
    def length(slug):
        page = catalogue.service(slug, lang)
        return len(page.name + page.summary + page.who_for + page.description
                   + page.how_to_access)

    longest = max(catalogue.domains(), key=length)
    page = browser.new_page()
    page.goto(f"{kiosk}/services/{longest}/print?lang={lang}")
    assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1, longest
    page.close()


def test_chat_service_cards_get_their_domain(catalogue):
    replies = [{"text": "", "buttons": [], "services": [{"slug": "caw-wonen", "name": "x"}]},
               {"text": "Hi", "buttons": [], "services": []}]
    chat._add_domains(replies, catalogue)
    assert replies[0]["services"][0]["domain"] == "wonen"
