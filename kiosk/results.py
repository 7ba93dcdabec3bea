"""The coordinators' part of the console (in Dutch): surveys and their results, the ideas
box, "you said, we did", themes of unanswered questions, the network's indicators, and
all of it as CSV for the research partner.

Results and indicators hide what is computed over fewer than five answers or people
(kiosk/surveys.py, kiosk/indicators.py); the CSV files hide the same.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, raw, redirect
from sqlalchemy import select

from kiosk import feedback, indicators, surveys
from kiosk.accounts import audit
from kiosk.charts import bar_chart
from kiosk.models import Detainee, StaffUser, Survey, UnansweredTheme, YouSaidWeDid
from kiosk.sessions import database, signed_in_staff, staff_page
from knowledge.labels import DOMAINS
from knowledge.models import Service, UnansweredQuestion
from wegwijzer.languages import DEFAULT_LANGUAGE, LANGUAGES, NATIVE_NAMES

COORDINATOR = "coordinator"
LANGUAGE_NAMES = {"nl": "Nederlands", "fr": "Frans", "en": "Engels", "ar": "Arabisch",
                  "tr": "Turks", "pl": "Pools", "ro": "Roemeens"}
# Themes of unanswered questions besides the catalogue's domains.
EXTRA_THEMES = {"gevangenis": "Gevangenis zelf (dokter, PSD, kantine, bezoek)",
                "buiten": "Buiten het aanbod", "andere": "Andere"}
IDEA_KINDS = {"idea": "idee", "complaint": "klacht"}
OUTCOMES = {"done": "afgerond", "declined": "geweigerd", "cancelled": "geannuleerd",
            "open": "nog open"}
DEFAULT_PERIOD_DAYS = 90
UNANSWERED_LIST_LIMIT = 200


def _render(request: Request, name: str, status: int = 200, **context) -> HTTPResponse:
    return request.app.ctx.templates.render(request, f"staff/{name}", status=status,
                                            language_names=LANGUAGE_NAMES, **context)


def _today(request: Request) -> date:
    return feedback.local_today(request.app.ctx.settings.timezone)


def _dutch(request: Request, msgid: str) -> str:
    return request.app.ctx.templates.gettext(DEFAULT_LANGUAGE, msgid)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _texts(form, prefix: str) -> dict[str, str]:
    return {lang: form.get(f"{prefix}_{lang}", "") for lang in LANGUAGES}


def _csv(filename: str, header: list[str], rows) -> HTTPResponse:
    """A CSV download; the byte order mark lets spreadsheets read the Arabic as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return raw(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8",
               headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# Surveys -------------------------------------------------------------------------

@staff_page(COORDINATOR)
async def surveys_page(request: Request) -> HTTPResponse:
    return _surveys_view(request)


def _surveys_view(request: Request, status: int = 200, error: str = "",
                  values=None) -> HTTPResponse:
    with database(request) as db:
        found = list(db.scalars(select(Survey).order_by(Survey.opens_on.desc(),
                                                        Survey.id.desc())))
        return _render(request, "surveys.html", status=status, error=error, surveys=found,
                       today=_today(request), values=values or {},
                       sections=_sections(db))


def _sections(db) -> list[str]:
    """The sections detainees are in, for the survey's target."""
    return sorted(filter(None, db.scalars(select(Detainee.section).distinct())))


@staff_page(COORDINATOR)
async def create_survey(request: Request) -> HTTPResponse:
    form = request.form
    try:
        with database(request) as db:
            survey = _save(db, signed_in_staff(db, request), None, form)
    except surveys.SurveyError as error:
        return _surveys_view(request, status=400, error=str(error), values=form)
    return redirect(f"/staff/surveys/{survey.id}", status=303)


def _save(db, me: StaffUser, survey: Survey | None, form) -> Survey:
    return surveys.save_survey(
        db, me, survey, title=_texts(form, "title"), intro=_texts(form, "intro"),
        section=form.get("section", ""), opens_on=_date(form.get("opens_on")),
        closes_on=_date(form.get("closes_on")))


@staff_page(COORDINATOR)
async def survey_page(request: Request, survey_id: int) -> HTTPResponse:
    with database(request) as db:
        return _survey_view(request, db, _survey(db, survey_id))


def _survey(db, survey_id: int) -> Survey:
    survey = db.get(Survey, survey_id)
    if survey is None:
        raise NotFound("unknown survey")
    return survey


def _survey_view(request: Request, db, survey: Survey, status: int = 200, error: str = "",
                 values=None) -> HTTPResponse:
    """The survey's page; after an error its form shows what was sent."""
    values = values or {}
    editing = values if values.get("action") == "update" else _survey_values(survey)
    asking = values if values.get("action") == "question" else {}
    return _render(request, "survey.html", status=status, error=error, survey=survey,
                   kinds=surveys.KINDS, today=_today(request), editing=editing, asking=asking,
                   sections=_sections(db))


def _survey_values(survey: Survey) -> dict[str, str]:
    return {"section": survey.section, "opens_on": survey.opens_on.isoformat(),
            "closes_on": survey.closes_on.isoformat(),
            **{f"title_{lang}": text for lang, text in survey.title.items()},
            **{f"intro_{lang}": text for lang, text in survey.intro.items()}}


@staff_page(COORDINATOR)
async def change_survey(request: Request, survey_id: int) -> HTTPResponse:
    form = request.form
    action = form.get("action")
    with database(request) as db:
        me, survey = signed_in_staff(db, request), _survey(db, survey_id)
        try:
            if action == "update":
                _save(db, me, survey, form)
            elif action == "question":
                surveys.add_question(db, me, survey, form.get("kind", ""), _texts(form, "text"),
                                     {lang: _lines(form.get(f"options_{lang}", ""))
                                      for lang in LANGUAGES})
            elif action == "remove":
                surveys.remove_question(db, me, survey, _int(form.get("question")))
            elif action == "publish":
                surveys.publish(db, me, survey)
            elif action == "close":
                surveys.close(db, me, survey, _today(request))
            elif action == "delete":
                surveys.delete(db, me, survey)
                return redirect("/staff/surveys", status=303)
            else:
                raise surveys.SurveyError("Onbekende actie.")
        except surveys.SurveyError as error:
            db.rollback()
            return _survey_view(request, db, _survey(db, survey_id), status=400,
                                error=str(error), values=form)
    return redirect(f"/staff/surveys/{survey_id}", status=303)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@staff_page(COORDINATOR)
async def survey_results(request: Request, survey_id: int) -> HTTPResponse:
    with database(request) as db:
        found = surveys.results(db, _survey(db, survey_id), lambda m: _dutch(request, m))
        charts = {result.question.id: bar_chart(result.counts, _question_text(result))
                  for result in found.questions if result.shown and result.counts}
        return _render(request, "survey_results.html", results=found, charts=charts,
                       kinds=surveys.KINDS, min_group=surveys.MIN_GROUP)


def _question_text(result: surveys.QuestionResult) -> str:
    return feedback.in_language(result.question.text, DEFAULT_LANGUAGE)


@staff_page(COORDINATOR)
async def survey_results_csv(request: Request, survey_id: int) -> HTTPResponse:
    with database(request) as db:
        found = surveys.results(db, _survey(db, survey_id), lambda m: _dutch(request, m))
        rows = list(_result_rows(found))
    header = ["vraag", "vraagtekst", "soort", "antwoord", "aantal", "beantwoord door",
              "gemiddelde"]
    return _csv(f"bevraging-{survey_id}.csv", header, rows)


def _result_rows(found: surveys.SurveyResults):
    hidden = f"niet getoond: minder dan {surveys.MIN_GROUP} antwoorden"
    for number, result in enumerate(found.questions, start=1):
        start = [number, _question_text(result), result.question.kind]
        if not result.shown:
            yield [*start, hidden, "", result.answered, ""]
            continue
        for label, count in result.counts:
            yield [*start, label, count, result.answered, result.mean or ""]
        for text in result.texts:
            yield [*start, text, "", result.answered, ""]


# The ideas box and "you said, we did" --------------------------------------------

@staff_page(COORDINATOR)
async def ideas_page(request: Request) -> HTTPResponse:
    with database(request) as db:
        return _render(request, "ideas.html", ideas=feedback.ideas(db), kinds=IDEA_KINDS)



@staff_page(COORDINATOR)
async def ideas_csv(request: Request) -> HTTPResponse:
    with database(request) as db:
        rows = [[idea.week.isoformat(), IDEA_KINDS[idea.kind], idea.lang, idea.text]
                for idea in feedback.ideas(db)]
    return _csv("ideeen.csv", ["week van", "soort", "taal", "tekst"], rows)


@staff_page(COORDINATOR)
async def news_page(request: Request) -> HTTPResponse:
    with database(request) as db:
        return _news_view(request, db)


def _news_view(request: Request, db, status: int = 200, error: str = "",
               values=None) -> HTTPResponse:
    return _render(request, "news.html", status=status, error=error,
                   items=feedback.news(db), today=_today(request), values=values or {})


@staff_page(COORDINATOR)
async def change_news(request: Request) -> HTTPResponse:
    form = request.form
    with database(request) as db:
        me = signed_in_staff(db, request)
        if form.get("action") == "delete":
            item = db.get(YouSaidWeDid, _int(form.get("item")))
            if item is not None:
                audit(db, me, "news.delete", f"news:{item.id}")
                db.delete(item)
                db.commit()
            return redirect("/staff/you-said-we-did", status=303)
        try:
            item = feedback.publish_news(db, me, _texts(form, "said"), _texts(form, "did"),
                                         _date(form.get("published_on")) or _today(request))
            audit(db, me, "news.publish", f"news:{item.id}")
            db.commit()
        except feedback.FeedbackError as error:
            return _news_view(request, db, status=400, error=str(error), values=form)
    return redirect("/staff/you-said-we-did", status=303)


# Unanswered questions ------------------------------------------------------------

def _themes(request: Request) -> dict[str, str]:
    domains = {key: _dutch(request, label) for key, label in DOMAINS.items()}
    return {**domains, **EXTRA_THEMES}


def _theme_suggester(request: Request, db):
    """What the catalogue finds for a question now: the domain of its best service."""
    domain_of = dict(db.execute(select(Service.slug, Service.domain)).all())
    catalogue = request.app.ctx.catalogue

    def theme_of(text: str, lang: str) -> str | None:
        hits = catalogue.search(text, lang, limit=1)
        return domain_of.get(hits[0].slug) if hits else None
    return theme_of


@staff_page(COORDINATOR)
async def unanswered_page(request: Request) -> HTTPResponse:
    with database(request) as db:
        rows = db.execute(
            select(UnansweredQuestion, UnansweredTheme.theme)
            .outerjoin(UnansweredTheme, UnansweredTheme.question_id == UnansweredQuestion.id)
            .order_by(UnansweredQuestion.asked_at.desc()).limit(UNANSWERED_LIST_LIMIT)).all()
        suggest = _theme_suggester(request, db)
        questions = [(question, theme, None if theme else suggest(question.text, question.lang))
                     for question, theme in rows]
        return _render(request, "unanswered.html", questions=questions,
                       themes=_themes(request))


@staff_page(COORDINATOR)
async def set_themes(request: Request) -> HTTPResponse:
    """One form for the whole list: field theme_<id> per question ("" removes a theme)."""
    themes = _themes(request)
    with database(request) as db:
        changed = 0
        for name in request.form:
            if not name.startswith("theme_") or not name[6:].isdigit():
                continue
            question_id, theme = int(name[6:]), request.form.get(name)
            row = db.get(UnansweredTheme, question_id)
            if theme in themes and db.get(UnansweredQuestion, question_id) is not None:
                if row is None:
                    db.add(UnansweredTheme(question_id=question_id, theme=theme))
                    changed += 1
                elif row.theme != theme:
                    row.theme, changed = theme, changed + 1
            elif not theme and row is not None:
                db.delete(row)
                changed += 1
        if changed:
            audit(db, signed_in_staff(db, request), "unanswered.themes", "unanswered",
                  changed=changed)
        db.commit()
    return redirect("/staff/unanswered", status=303)


# Indicators ----------------------------------------------------------------------

def _periods(request: Request) -> tuple[indicators.Period, indicators.Period | None, str]:
    """The period asked (the last 90 days by default) and the one to compare it with."""
    args, today, error = request.args, _today(request), ""
    first = _period(args.get("from"), args.get("to"))
    if first is None:
        if args.get("from") or args.get("to"):
            error = "Die periode klopt niet: het begin moet voor het einde liggen."
        first = indicators.Period(today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), today)
    second = _period(args.get("from2"), args.get("to2"))
    if second is None and (args.get("from2") or args.get("to2")):
        error = "De vergelijkingsperiode klopt niet: het begin moet voor het einde liggen."
    return first, second, error


def _period(start: str | None, end: str | None) -> indicators.Period | None:
    start, end = _date(start), _date(end)
    if start is None or end is None or end < start:
        return None
    return indicators.Period(start, end)


def _comparison(request: Request, db, first, second) -> list[indicators.Comparison]:
    zone, suggest = request.app.ctx.settings.timezone, _theme_suggester(request, db)
    return indicators.compare(
        indicators.compute(db, first, zone, suggest),
        indicators.compute(db, second, zone, suggest) if second else None)


def _group_names(request: Request) -> dict[str, dict[str, str]]:
    """How each indicator's groups are named in the console."""
    services = {hit.slug: hit.name for hit in request.app.ctx.catalogue.all_services("nl")}
    services[indicators.NO_SERVICE] = "geen dienst (de frontoffice beslist)"
    domains = {key: _dutch(request, label) for key, label in DOMAINS.items()}
    domains[indicators.NO_SERVICE] = "geen dienst (de frontoffice beslist)"
    themes = {**_themes(request), indicators.NO_THEME: "geen thema gevonden"}
    by_service = ("requests_per_service", "days_to_answer", "late_answers", "ratings")
    return {**{key: services for key in by_service}, "requests_per_domain": domains,
            "languages": dict(NATIVE_NAMES), "unanswered_themes": themes,
            "outcome": OUTCOMES}


@staff_page(COORDINATOR)
async def indicators_page(request: Request) -> HTTPResponse:
    first, second, error = _periods(request)
    names = _group_names(request)
    with database(request) as db:
        rows = _comparison(request, db, first, second)
        comments = indicators.rating_comments(db, first)
    domains = [(names["requests_per_domain"].get(row.group, row.group), row.first.value)
               for row in rows if row.indicator == "requests_per_domain" and row.first]
    return _render(request, "indicators.html", status=400 if error else 200, error=error,
                   first=first, second=second, rows=rows, titles=indicators.INDICATORS,
                   names=names, comments=comments, min_group=indicators.MIN_GROUP,
                   domain_chart=bar_chart(domains, "Aanvragen per domein") if domains else "",
                   query=request.query_string, show=_shown)


def _shown(figure: indicators.Figure | None, unit: str) -> str:
    """A figure as the console shows it (Dutch decimal comma)."""
    if figure is None:
        return "–"
    if figure.value is None:
        return f"< {indicators.MIN_GROUP}"
    if unit == "aantal":
        return str(int(figure.value))
    if unit == "aandeel":
        return f"{100 * figure.value:.0f}%"
    return f"{figure.value:.1f}".replace(".", ",")


@staff_page(COORDINATOR)
async def indicators_csv(request: Request) -> HTTPResponse:
    first, second, _ = _periods(request)
    names = _group_names(request)
    with database(request) as db:
        rows = _comparison(request, db, first, second)
    header = ["indicator", "omschrijving", "groep", "groepnaam", "periode 1", "waarde 1", "n 1",
              "periode 2", "waarde 2", "n 2"]
    return _csv(f"indicatoren-{first.start}-{first.end}.csv", header, [
        [row.indicator, indicators.INDICATORS[row.indicator][0], row.group,
         names.get(row.indicator, {}).get(row.group, row.group),
         first.label(), *_csv_figure(row.first),
         second.label() if second else "", *_csv_figure(row.second)]
        for row in rows])


def _csv_figure(figure: indicators.Figure | None) -> list:
    if figure is None:
        return ["", 0]
    return ["" if figure.value is None else figure.value, figure.n]


ROUTES = [
    ("/staff/surveys", surveys_page, ["GET"]),
    ("/staff/surveys", create_survey, ["POST"]),
    ("/staff/surveys/<survey_id:int>", survey_page, ["GET"]),
    ("/staff/surveys/<survey_id:int>", change_survey, ["POST"]),
    ("/staff/surveys/<survey_id:int>/results", survey_results, ["GET"]),
    ("/staff/surveys/<survey_id:int>/results.csv", survey_results_csv, ["GET"]),
    ("/staff/ideas", ideas_page, ["GET"]),
    ("/staff/ideas.csv", ideas_csv, ["GET"]),
    ("/staff/you-said-we-did", news_page, ["GET"]),
    ("/staff/you-said-we-did", change_news, ["POST"]),
    ("/staff/unanswered", unanswered_page, ["GET"]),
    ("/staff/unanswered", set_themes, ["POST"]),
    ("/staff/indicators", indicators_page, ["GET"]),
    ("/staff/indicators.csv", indicators_csv, ["GET"]),
]
