"""A survey answered in Arabic on the kiosk, and its results read in Dutch in the console,
in Debian's chromium; the chart's screenshot shows bars of the right lengths."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from kiosk import surveys
from kiosk.charts import BAR_COLOUR
from kiosk.models import Detainee, Survey
from tests.conftest import new_detainee
from tests.test_browser import sign_in
from tests.test_console import PASSWORD, make_staff
from tests.test_participation import QUESTIONS, SECRET, make_survey, today

pytestmark = pytest.mark.browser

ARABIC_ANSWER = "نريد المزيد من الرياضة"


def answered_by_others(db, survey_id: int, ids: list[int], people: int) -> None:
    """Answers of other people, straight through kiosk/surveys.py: all "No"."""
    for number in range(people):
        with db() as session:
            person = session.scalar(select(Detainee).where(
                Detainee.number == new_detainee(db, section="AR")))
            surveys.record(session, SECRET, session.get(Survey, survey_id), person,
                           {ids[0]: 1, ids[2]: 3, ids[3]: f"antwoord {number}"}, today())


def bar_lengths(png: bytes) -> list[int]:
    """The length in pixels of each bar in a chart's screenshot, top to bottom."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colour = tuple(int(BAR_COLOUR[i:i + 2], 16) for i in (1, 3, 5))
    width, height = image.size
    pixels = image.load()
    rows = [sum(1 for x in range(width)
                if all(abs(a - b) < 12 for a, b in zip(pixels[x, y], colour, strict=True)))
            for y in range(height)]
    bars, inside = [], False
    for count in rows:
        if count and not inside:
            bars.append(0)
        inside = bool(count)
        if count:
            bars[-1] = max(bars[-1], count)
    return bars


def test_a_survey_answered_in_arabic_and_read_in_dutch(kiosk, db, browser, tmp_path):
    survey_id, ids = make_survey(db, section="AR")
    answered_by_others(db, survey_id, ids, 4)
    number = new_detainee(db, section="AR", lang="ar")
    coordinator = make_staff(db, "coordinator")

    # The detainee answers in Arabic, right to left.
    detainee = browser.new_context(locale="ar").new_page()
    sign_in(detainee, kiosk, number)
    detainee.goto(f"{kiosk}/surveys?lang=ar")
    expect(detainee.locator("html")).to_have_attribute("dir", "rtl")
    detainee.click(f"a[href='/surveys/{survey_id}']")
    expect(detainee.locator("h1")).to_have_text("استبيان حول المساعدة")
    expect(detainee.locator("form.survey legend").first).to_contain_text(QUESTIONS[0][1]["ar"])
    detainee.locator("form.survey label", has_text="نعم").click()
    faces = detainee.locator(".question-scale .face-choice")
    expect(faces).to_have_count(5)
    faces.nth(4).click()
    expect(faces.nth(4).locator("input")).to_be_checked()
    detainee.fill(f"textarea[name=q{ids[3]}]", ARABIC_ANSWER)
    detainee.screenshot(path=tmp_path / "survey-ar.png", full_page=True)
    detainee.click("form.survey button[type=submit]")
    expect(detainee).to_have_url(re.compile(r"/surveys\?thanks=survey$"))
    expect(detainee.locator("p.notice")).to_be_visible()
    expect(detainee.locator("html")).to_have_attribute("dir", "rtl")

    # The coordinator reads the results in Dutch: one "Ja", four "Nee".
    console = browser.new_context(locale="nl-BE").new_page()
    console.goto(f"{kiosk}/staff/signin")
    console.fill("#username", coordinator)
    console.fill("#password", PASSWORD)
    console.click("form button[type=submit]")
    console.goto(f"{kiosk}/staff/surveys/{survey_id}/results")
    expect(console.locator("html")).to_have_attribute("lang", "nl")
    expect(console.locator("p.respondents")).to_contain_text("5 personen antwoordden")
    first = console.locator(f"#question-{ids[0]}")
    expect(first.locator("h2")).to_contain_text(QUESTIONS[0][1]["nl"])
    expect(console.locator(f"#question-{ids[3]} .free-texts")).to_contain_text(ARABIC_ANSWER)
    console.screenshot(path=tmp_path / "results-nl.png", full_page=True)

    chart = first.locator("svg.chart")
    expect(chart).to_be_visible()
    png = chart.screenshot(path=tmp_path / "chart.png")
    yes, no = bar_lengths(png)
    assert no > 100 and yes == pytest.approx(no / 4, abs=3)
