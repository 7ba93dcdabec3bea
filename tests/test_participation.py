"""Participation: surveys answered once and anonymously, small groups hidden, sections and
dates, the ideas box, ratings, "you said, we did", the network's indicators, the CSV
exports, and a survey through the assistant in two languages."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, datetime, timedelta

import httpx
import pytest
import yaml
from sqlalchemy import inspect, select, text

from bot.actions.survey import take_answer
from kiosk import accounts, feedback, indicators, queue, surveys
from kiosk.models import (
    Detainee,
    HelpRequest,
    Idea,
    RatedRequest,
    RequestEvent,
    ServiceRating,
    StaffUser,
    Survey,
    SurveyAnswer,
    SurveyMarker,
    SurveyQuestion,
    SurveyResponse,
    UnansweredTheme,
)
from knowledge.content import load_catalogue
from knowledge.models import Service, UnansweredQuestion
from tests.conftest import Console, post_form, sign_in
from tests.conftest import new_detainee as make_detainee
from tests.test_console import make_staff
from tests.test_migrations import postgres_database
from wegwijzer.config import BOT_DIR, CATALOGUE_DIR
from wegwijzer.database import make_engine, make_sessionmaker, upgrade
from wegwijzer.i18n import translations

SECRET = "test-secret"  # the kiosk's key in the tests (tests/conftest.py environment)
ZONE = "Europe/Brussels"
QUESTIONS = [
    ("choice", {"nl": "Ken je de diensten in de gevangenis?",
                "en": "Do you know the services in the prison?",
                "fr": "Connais-tu les services de la prison ?",
                "pl": "Czy znasz usługi w więzieniu?",
                "ar": "هل تعرف الخدمات في السجن؟"},
     [{"nl": "Ja", "en": "Yes", "fr": "Oui", "pl": "Tak", "ar": "نعم"},
      {"nl": "Nee", "en": "No", "fr": "Non", "pl": "Nie", "ar": "لا"}]),
    ("choices", {"nl": "Waarover wil je meer weten?",
                 "en": "What would you like to know more about?",
                 "fr": "Sur quoi veux-tu en savoir plus ?",
                 "pl": "O czym chcesz wiedzieć więcej?"},
     [{"nl": "Werk", "en": "Work", "fr": "Travail", "pl": "Praca"},
      {"nl": "Wonen", "en": "Housing", "fr": "Logement", "pl": "Mieszkanie"},
      {"nl": "Familie", "en": "Family", "fr": "Famille", "pl": "Rodzina"}]),
    ("scale", {"nl": "Hoe tevreden ben je over de hulp?", "en": "How happy are you with the help?",
               "fr": "Es-tu satisfait de l'aide ?", "pl": "Czy jesteś zadowolony z pomocy?",
               "ar": "هل أنت راض عن المساعدة؟"}, []),
    ("text", {"nl": "Wat kan beter?", "en": "What could be better?",
              "fr": "Qu'est-ce qui pourrait être mieux ?", "pl": "Co można poprawić?",
              "ar": "ما الذي يمكن تحسينه؟"}, []),
]


def today() -> date:
    return feedback.local_today(ZONE)


def make_survey(db, *, section: str = "", opens: date | None = None,
                closes: date | None = None, published: bool = True,
                questions=QUESTIONS) -> tuple[int, list[int]]:
    """A survey straight in the database: its id and its questions' ids."""
    with db() as session:
        survey = Survey(title={"nl": "Bevraging over de hulp", "en": "Survey about the help",
                               "fr": "Enquête sur l'aide", "ar": "استبيان حول المساعدة"},
                        intro={}, section=section, opens_on=opens or today(),
                        closes_on=closes or today() + timedelta(days=7), published=published)
        for position, (kind, question, options) in enumerate(questions):
            survey.questions.append(SurveyQuestion(position=position, kind=kind, text=question,
                                                   options=options))
        session.add(survey)
        session.commit()
        return survey.id, [question.id for question in survey.questions]


class Person:
    """A detainee on the kiosk, signed in, with their own cookies."""

    def __init__(self, base: str, db, **fields):
        self.base, self.number = base, make_detainee(db, **fields)
        self.http = httpx.Client(timeout=60)
        assert sign_in(self.http, base, self.number).status_code == 303

    def get(self, path: str) -> httpx.Response:
        return self.http.get(f"{self.base}{path}")

    def post(self, path: str, **fields) -> httpx.Response:
        return post_form(self.http, f"{self.base}/surveys?lang=en", f"{self.base}{path}",
                         **fields)

    def answer(self, survey_id: int, **fields) -> httpx.Response:
        return self.post(f"/surveys/{survey_id}", **fields)


def detainee_id(db, number: str) -> int:
    with db() as session:
        return session.scalar(select(Detainee.id).where(Detainee.number == number))


@pytest.fixture
def coordinator(kiosk, db):
    browser = Console(kiosk)
    assert browser.sign_in(make_staff(db, "coordinator")).status_code == 303
    yield browser
    browser.http.close()


def answer_fields(ids: list[int], choice="0", choices=("1",), scale="4", words="") -> dict:
    return {f"q{ids[0]}": choice, f"q{ids[1]}": list(choices), f"q{ids[2]}": scale,
            f"q{ids[3]}": words}


# Surveys on the kiosk ----------------------------------------------------------------

def test_a_survey_is_answered_once_per_person(kiosk, db):
    survey_id, ids = make_survey(db)
    person = Person(kiosk, db)
    page = person.get(f"/surveys/{survey_id}?lang=en")
    assert page.status_code == 200
    assert "Do you know the services in the prison?" in page.text
    assert "Your answers are anonymous" in page.text

    sent = person.answer(survey_id, **answer_fields(ids, choices=("0", "2"), words="More sport"))
    assert sent.status_code == 303 and sent.headers["location"] == "/surveys?thanks=survey"
    again = person.answer(survey_id, **answer_fields(ids, words="A second time"))
    assert again.status_code == 303 and again.headers["location"] == "/surveys"
    with db() as session:
        assert session.scalar(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id)) is not None
        assert len(session.scalars(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id)).all()) == 1
        stored = session.scalars(select(SurveyAnswer.text).where(
            SurveyAnswer.question_id == ids[3])).all()
        assert stored == ["More sport"]
        assert sorted(session.scalars(select(SurveyAnswer.choice).where(
            SurveyAnswer.question_id == ids[1]))) == [0, 2]
        # Directly, too: the marker refuses a second answer.
        survey = session.get(Survey, survey_id)
        detainee = session.scalar(select(Detainee).where(Detainee.number == person.number))
        with pytest.raises(surveys.AlreadyAnswered):
            surveys.record(session, SECRET, survey, detainee, {ids[0]: 1}, today())
    hub = person.get("/surveys?lang=en").text
    assert "Answered. Thank you!" in hub and f'href="/surveys/{survey_id}"' not in hub
    assert "already answered" in person.get(f"/surveys/{survey_id}?lang=en").text


def test_an_answer_must_be_one_of_the_choices_and_something_must_be_answered(kiosk, db):
    survey_id, ids = make_survey(db)
    person = Person(kiosk, db)
    nothing = person.answer(survey_id, **answer_fields(ids, choice="", choices=(), scale=""))
    assert nothing.status_code == 400
    assert "Please answer at least one question." in nothing.text
    wrong = person.answer(survey_id, **answer_fields(ids, choice="7"))
    assert wrong.status_code == 400 and "Choose one of the answers." in wrong.text
    assert person.answer(survey_id, **answer_fields(ids)).status_code == 303


def test_answers_cannot_be_joined_to_people(kiosk, db):
    """Looks at the tables themselves: what is stored, how, and in which order."""
    survey_id, ids = make_survey(db)
    people = [Person(kiosk, db, section="B") for _ in range(8)]
    for order, person in enumerate(people):
        assert person.answer(survey_id, **answer_fields(ids, words=f"answer {order}")) \
            .status_code == 303

    with db() as session:
        connection = session.connection()
        schema = inspect(connection)
        # Nothing but the answers: no person, no session, no date or time.
        columns = {table: {column["name"] for column in schema.get_columns(table)}
                   for table in ("survey_response", "survey_answer", "survey_marker", "idea",
                                 "service_rating", "rated_request")}
        assert columns == {
            "survey_response": {"id", "survey_id"},
            "survey_answer": {"id", "response_id", "question_id", "choice", "text"},
            "survey_marker": {"marker", "survey_id"},
            "idea": {"id", "kind", "text", "lang", "week"},
            "service_rating": {"id", "service_id", "score", "comment", "week"},
            "rated_request": {"request_id"},
        }
        for table in ("survey_response", "survey_answer", "survey_marker", "idea",
                      "service_rating"):
            targets = {key["referred_table"] for key in schema.get_foreign_keys(table)}
            assert not targets & {"detainee", "sign_in_session", "staff_user", "help_request"}

        # Who answered is a keyed hash, one per response: without the key it names nobody.
        markers = set(session.scalars(select(SurveyMarker.marker).where(
            SurveyMarker.survey_id == survey_id)))
        responses = session.scalars(select(SurveyResponse.id).where(
            SurveyResponse.survey_id == survey_id)).all()
        person_ids = [detainee_id(db, person.number) for person in people]
        assert len(markers) == len(responses) == 8
        assert markers == {surveys.marker(SECRET, survey_id, pid) for pid in person_ids}
        unkeyed = {hashlib.sha256(f"survey:{survey_id}:{pid}".encode()).hexdigest()
                   for pid in person_ids}
        assert not markers & unkeyed
        assert not markers & {surveys.marker("another key", survey_id, pid) for pid in person_ids}

        # The rows are stored in the order of their random ids (SQLite: id is the rowid;
        # the markers' table has no rowid), not in the order people answered.
        stored = connection.execute(text(
            "SELECT rowid, id FROM survey_response WHERE survey_id = :survey"),
            {"survey": survey_id}).all()
        assert all(rowid == row_id for rowid, row_id in stored)
        assert [row_id for _, row_id in stored] == sorted(row_id for _, row_id in stored)
        marker_table = connection.execute(text(
            "SELECT sql FROM sqlite_master WHERE name = 'survey_marker'")).scalar()
        assert "WITHOUT ROWID" in marker_table
        answered_order = [session.scalar(select(SurveyAnswer.response_id).where(
            SurveyAnswer.text == f"answer {order}")) for order in range(8)]
        assert answered_order != sorted(answered_order)  # 1 chance in 40320 to fail
        assert min(responses) > 2**20  # random ids, not a counter


def test_a_survey_for_one_section_is_seen_there_only(kiosk, db):
    survey_id, ids = make_survey(db, section="Vrouwen")
    inside, outside = Person(kiosk, db, section="vrouwen"), Person(kiosk, db, section="A2")
    assert f'href="/surveys/{survey_id}"' in inside.get("/surveys?lang=en").text
    assert f'href="/surveys/{survey_id}"' not in outside.get("/surveys?lang=en").text
    assert outside.get(f"/surveys/{survey_id}").status_code == 404
    assert outside.answer(survey_id, **answer_fields(ids)).status_code == 404
    assert inside.answer(survey_id, **answer_fields(ids)).status_code == 303


def test_a_survey_is_open_between_its_dates_once_published(kiosk, db, coordinator):
    later, _ = make_survey(db, opens=today() + timedelta(days=1))
    over, _ = make_survey(db, opens=today() - timedelta(days=9),
                          closes=today() - timedelta(days=1))
    draft, _ = make_survey(db, published=False)
    now, ids = make_survey(db, opens=today(), closes=today())
    person = Person(kiosk, db)
    listed = person.get("/surveys?lang=en").text
    assert f'href="/surveys/{now}"' in listed
    for hidden in (later, over, draft):
        assert f'href="/surveys/{hidden}"' not in listed
        assert person.get(f"/surveys/{hidden}").status_code == 404
    # A coordinator closes it early: yesterday was its last day.
    assert coordinator.post(f"/staff/surveys/{now}", action="close").status_code == 303
    assert person.get(f"/surveys/{now}").status_code == 404
    assert person.answer(now, **answer_fields(ids)).status_code == 404


def test_signed_out_people_are_asked_to_sign_in_for_surveys(kiosk, db):
    make_survey(db)
    page = httpx.get(f"{kiosk}/surveys?lang=en")
    assert page.status_code == 200
    assert "Sign in to answer a survey." in page.text
    assert 'href="/signin?next=/surveys"' in page.text
    survey_id, _ = make_survey(db)
    assert httpx.get(f"{kiosk}/surveys/{survey_id}").headers["location"].startswith("/signin")
    assert 'href="/surveys"' in httpx.get(f"{kiosk}/?lang=en").text


# Coordinators --------------------------------------------------------------------

def test_a_coordinator_writes_a_survey_in_seven_languages(kiosk, db, coordinator):
    start, end = today().isoformat(), (today() + timedelta(days=14)).isoformat()
    made = coordinator.post("/staff/surveys", title_nl="Sport in de gevangenis",
                            title_fr="Le sport en prison", title_ar="الرياضة في السجن",
                            section="", opens_on=start, closes_on=end)
    assert made.status_code == 303
    survey_id = int(made.headers["location"].rsplit("/", 1)[1])
    page = f"/staff/surveys/{survey_id}"
    wrong = coordinator.post(page, action="question", kind="choice", text_nl="Sport je?",
                             options_nl="Ja\nNee", options_fr="Oui")
    assert wrong.status_code == 400 and "even veel regels" in wrong.text
    assert coordinator.post(page, action="question", kind="choice", text_nl="Sport je?",
                            text_fr="Fais-tu du sport ?", options_nl="Ja\nNee",
                            options_fr="Oui\nNon").status_code == 303
    assert coordinator.post(page, action="question", kind="scale",
                            text_nl="Hoe goed is de fitness?").status_code == 303
    assert coordinator.post(page, action="question", kind="text",
                            text_nl="Weg ermee").status_code == 303
    with db() as session:
        extra = session.get(Survey, survey_id).questions[-1].id
    assert coordinator.post(page, action="remove", question=str(extra)).status_code == 303
    assert coordinator.post(page, action="update", title_nl="Sport in de gevangenis",
                            title_fr="Le sport en prison", title_ar="الرياضة في السجن",
                            section="", opens_on=start, closes_on=start).status_code == 303
    early = coordinator.post(page, action="update", title_nl="x", opens_on=end, closes_on=start)
    assert early.status_code == 400 and "het einde komt na het begin" in early.text
    assert coordinator.post(page, action="publish").status_code == 303
    assert coordinator.post(page, action="question", kind="text",
                            text_nl="Te laat").status_code == 400
    assert coordinator.post(page, action="delete").status_code == 400  # kept once published
    with db() as session:
        survey = session.get(Survey, survey_id)
        assert survey.published and survey.title["ar"] == "الرياضة في السجن"
        assert survey.closes_on == today()
        assert [q.kind for q in survey.questions] == ["choice", "scale"]
        assert survey.questions[0].options == [{"nl": "Ja", "fr": "Oui"},
                                               {"nl": "Nee", "fr": "Non"}]

    # Detainees read it in their language, and in Dutch what was not translated.
    person = Person(kiosk, db)
    french = person.get(f"/surveys/{survey_id}?lang=fr").text
    assert "Le sport en prison" in french and "Fais-tu du sport ?" in french
    assert "Hoe goed is de fitness?" in french
    polish = person.get(f"/surveys/{survey_id}?lang=pl").text
    assert "Sport in de gevangenis" in polish and "Sport je?" in polish

    listing = coordinator.get("/staff/surveys").text
    assert "Sport in de gevangenis" in listing
    draft = coordinator.post("/staff/surveys", title_nl="Ontwerp", opens_on=start, closes_on=end)
    assert coordinator.post(draft.headers["location"], action="delete").status_code == 303
    with db() as session:
        assert session.get(Survey, int(draft.headers["location"].rsplit("/", 1)[1])) is None
    frontoffice = Console(kiosk)
    frontoffice.sign_in(make_staff(db, "frontoffice"))
    for path in ("/staff/surveys", f"/staff/surveys/{survey_id}/results", "/staff/indicators",
                 "/staff/indicators.csv", "/staff/ideas.csv"):
        assert frontoffice.get(path).status_code == 403, path


def test_results_are_hidden_below_five_answers(kiosk, db, coordinator):
    survey_id, ids = make_survey(db)
    results = f"/staff/surveys/{survey_id}/results"
    for number in range(4):
        Person(kiosk, db).answer(survey_id, **answer_fields(ids, choice=str(number % 2),
                                                            words=f"idee {number}"))
    hidden = coordinator.get(results)
    assert hidden.status_code == 200
    assert "Nog te weinig antwoorden" in hidden.text
    assert "<svg" not in hidden.text and "idee 0" not in hidden.text
    assert "niet getoond" in coordinator.get(f"{results}.csv").text

    # The fifth answer shows the results, but only of questions with five answers.
    Person(kiosk, db).answer(survey_id, **answer_fields(ids, words=""))
    shown = coordinator.get(results).text
    assert "Nog te weinig antwoorden" not in shown
    assert shown.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 3
    assert re.search(r"<td>Ja</td><td>3</td>", shown)
    assert re.search(r"<td>Nee</td><td>2</td>", shown)
    assert "Gemiddelde: <strong>4,0</strong>" in shown
    assert "Minder dan 5 antwoorden op deze vraag" in shown  # the free text: 4 answers
    assert "idee 0" not in shown


def test_survey_results_as_csv(kiosk, db, coordinator):
    survey_id, ids = make_survey(db)
    for number in range(5):
        Person(kiosk, db).answer(survey_id, **answer_fields(
            ids, choice="1", choices=("0", "1") if number else ("2",), scale=str(number + 1),
            words=f"Meer uren {number}"))
    response = coordinator.get(f"/staff/surveys/{survey_id}/results.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == \
        f'attachment; filename="bevraging-{survey_id}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_answer = {(row["vraag"], row["antwoord"]): row for row in rows}
    assert by_answer[("1", "Nee")]["aantal"] == "5" and by_answer[("1", "Ja")]["aantal"] == "0"
    assert by_answer[("2", "Werk")]["aantal"] == "4"
    assert by_answer[("2", "Familie")]["aantal"] == "1"
    very_good = f"5 {translations('nl').gettext('Very good')}"
    assert by_answer[("3", very_good)]["aantal"] == "1"
    scale = [row for row in rows if row["vraag"] == "3"]
    assert [row["aantal"] for row in scale] == ["1"] * 5 and scale[0]["gemiddelde"] == "3.0"
    texts = [row["antwoord"] for row in rows if row["vraag"] == "4"]
    assert texts == [f"Meer uren {number}" for number in range(5)]
    assert {row["beantwoord door"] for row in rows} == {"5"}


# Ideas, ratings, "you said, we did" --------------------------------------------------

def test_the_ideas_box_is_anonymous_even_when_signed_in(kiosk, db, coordinator):
    idea = "Meer telefoontijd voor familie in het buitenland " + make_detainee(db)
    anonymous = httpx.Client(timeout=60)
    first = post_form(anonymous, f"{kiosk}/ideas?lang=ar", f"{kiosk}/ideas", kind="idea",
                      text=idea)
    assert first.status_code == 303 and first.headers["location"] == "/surveys?thanks=idea"
    post_form(anonymous, f"{kiosk}/ideas", f"{kiosk}/ideas", kind="idea", text=idea)  # twice
    person = Person(kiosk, db)
    complaint = "De wachttijd is te lang " + person.number
    assert person.post("/ideas", kind="complaint", text=complaint).status_code == 303
    too_short = person.post("/ideas", kind="idea", text="x")
    assert too_short.status_code == 400

    with db() as session:
        kept = session.scalars(select(Idea).where(Idea.text.in_([idea, complaint]))).all()
        assert sorted((row.kind, row.lang) for row in kept) == [("complaint", "en"),
                                                               ("idea", "ar")]
        assert all(row.week == feedback.week_of(today()) and row.week.weekday() == 0
                   for row in kept)
    listing = coordinator.get("/staff/ideas").text
    assert idea in listing and complaint in listing
    exported = coordinator.get("/staff/ideas.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {"week van": feedback.week_of(today()).isoformat(), "soort": "klacht", "taal": "en",
            "tekst": complaint} in rows


def test_a_done_request_is_rated_once_for_the_service(kiosk, db):
    person = Person(kiosk, db)
    worker = make_staff(db, "frontoffice")
    with db() as session:
        detainee = session.scalar(select(Detainee).where(Detainee.number == person.number))
        staff = session.scalar(select(StaffUser).where(StaffUser.username == worker))
        filed = queue.file_request(session, detainee, queue.NewRequest(
            "Ik zoek een woning", "nl", "cvo-nederlands", consent=True))
        queue.act(session, filed, staff, "triage")
        asked = person.get("/requests?lang=en").text
        assert "Did it help you?" not in asked  # not done yet
        queue.act(session, filed, staff, "done")
        ref, service_id = filed.ref, filed.service_id

    prompt = person.get("/requests?lang=en").text
    assert "Did it help you?" in prompt and f'action="/requests/{ref}/rating"' in prompt
    assert person.post(f"/requests/{ref}/rating").headers["location"] == "/requests?rating=missing"
    sent = person.post(f"/requests/{ref}/rating", score="5", comment="Goed geholpen")
    assert sent.headers["location"] == "/requests?rating=thanks"
    person.post(f"/requests/{ref}/rating", score="1")  # asked once: this one is not kept
    assert "Did it help you?" not in person.get("/requests?lang=en").text
    with db() as session:
        ratings = session.scalars(select(ServiceRating).where(
            ServiceRating.comment == "Goed geholpen")).all()
        assert [(r.service_id, r.score, r.week) for r in ratings] == [
            (service_id, 5, feedback.week_of(today()))]
        assert session.get(RatedRequest, filed.id) is not None
        assert not session.scalars(select(ServiceRating).where(
            ServiceRating.service_id == service_id, ServiceRating.score == 1)).all()

    # "I would rather not say": asked, nothing kept.
    with db() as session:
        detainee = session.scalar(select(Detainee).where(Detainee.number == person.number))
        staff = session.scalar(select(StaffUser).where(StaffUser.username == worker))
        second = queue.file_request(session, detainee, queue.NewRequest(
            "Nog een vraag", "nl", "cvo-nederlands", consent=True))
        queue.act(session, second, staff, "triage")
        queue.act(session, second, staff, "done")
        count = len(session.scalars(select(ServiceRating)).all())
    assert person.post(f"/requests/{second.ref}/rating", skip="1").status_code == 303
    with db() as session:
        assert len(session.scalars(select(ServiceRating)).all()) == count
        assert session.get(RatedRequest, second.id) is not None


def test_you_said_we_did_in_the_readers_language(kiosk, db, coordinator):
    said = "Meer sport " + make_detainee(db)
    sent = coordinator.post("/staff/you-said-we-did", action="publish", said_nl=said,
                            did_nl="Elke woensdag fitness", said_fr="Plus de sport",
                            did_fr="Fitness chaque mercredi",
                            published_on=today().isoformat())
    assert sent.status_code == 303
    assert "Elke woensdag fitness" in coordinator.get("/staff/you-said-we-did").text
    assert "Fitness chaque mercredi" in httpx.get(f"{kiosk}/surveys?lang=fr").text
    polish = httpx.get(f"{kiosk}/surveys?lang=pl").text
    assert said in polish and "Elke woensdag fitness" in polish
    assert coordinator.post("/staff/you-said-we-did", action="publish", said_fr="x",
                            did_nl="y").status_code == 400


# Indicators ----------------------------------------------------------------------

FIRST = indicators.Period(date(2019, 1, 1), date(2019, 3, 31))
SECOND = indicators.Period(date(2019, 4, 1), date(2019, 6, 30))


def old_request(session, person: Detainee, slug: str | None, filed: datetime, *, lang="nl",
                state="submitted", answered_after: float | None = None, staff_id=None,
                scheduled_at: datetime | None = None, via: Detainee | None = None):
    """A request filed long ago, with the event that answered it."""
    service = session.scalar(select(Service).where(Service.slug == slug)) if slug else None
    request = HelpRequest(ref=queue._new_ref(), detainee_id=person.id, service=service,
                          about="Vraag", lang=lang, consent=True, state=state,
                          scheduled_at=scheduled_at, filed_via_id=via.id if via else None,
                          submission_key=queue._new_ref(), created_at=filed, updated_at=filed)
    request.events.append(RequestEvent(kind="filed", state="submitted", at=filed,
                                       detainee_id=person.id))
    if answered_after is not None:
        request.events.append(RequestEvent(kind="state", state=state, staff_id=staff_id,
                                           at=filed + timedelta(days=answered_after)))
    elif state == "cancelled":
        request.events.append(RequestEvent(kind="state", state=state, detainee_id=person.id,
                                           at=filed + timedelta(days=1)))
    session.add(request)


def person(session, intake: date | None = None, first: bool = False) -> Detainee:
    made = accounts.create_detainee(session, f"I{queue._new_ref()}", "1234", intake_date=intake,
                                    first_detention=first)
    session.flush()
    return made


@pytest.fixture(scope="module")
def history(db):
    """Requests, people, questions and ratings of the first half of 2019."""
    worker = make_staff(db, "frontoffice")
    with db() as session:
        staff_id = session.scalar(select(StaffUser.id).where(StaffUser.username == worker))
        wonen = session.scalar(select(Service.id).where(Service.slug == "caw-wonen"))
        answer = {"staff_id": staff_id}
        for _ in range(6):  # first detention: intake 5 January, appointment 20 January
            newcomer = person(session, date(2019, 1, 5), first=True)
            old_request(session, newcomer, "caw-wonen", datetime(2019, 1, 10, 9),
                        state="scheduled", answered_after=3, **answer,
                        scheduled_at=datetime(2019, 1, 20, 10))
        someone, peer = person(session), person(session)
        old_request(session, someone, "vdab-loopbaan", datetime(2019, 2, 1, 9), lang="fr",
                    state="declined", answered_after=20, **answer)
        old_request(session, someone, None, datetime(2019, 2, 2, 9), lang="fr",
                    state="cancelled", via=peer)
        old_request(session, someone, None, datetime(2019, 3, 31, 21), lang="ar",
                    state="cancelled")  # 31 March, 23:00 in Brussels
        for day in (1, 2):
            old_request(session, someone, "caw-wonen", datetime(2019, 5, day, 9),
                        state="done", answered_after=30, **answer)
        questions = [UnansweredQuestion(text=f"vraag {n}", lang="nl",
                                        asked_at=datetime(2019, 2, 1 + n)) for n in range(3)]
        session.add_all(questions)
        for score in (5, 4, 4, 3, 5):
            session.add(ServiceRating(id=feedback.random_id(), service_id=wonen, score=score,
                                      comment="Goed" if score == 5 else None,
                                      week=date(2019, 2, 4)))
        session.add(ServiceRating(id=feedback.random_id(), service_id=wonen, score=1,
                                  week=date(2019, 5, 6)))
        session.commit()
        return [question.id for question in questions]


def figures(db, period) -> dict[tuple[str, str], indicators.Figure]:
    themes = {"vraag 0": "wonen"}
    with db() as session:
        found = indicators.compute(session, period, ZONE, lambda t, _: themes.get(t),
                                   now=datetime(2019, 7, 1))
    return {(figure.indicator, figure.group): figure for figure in found}


def value(found, indicator, group):
    figure = found[(indicator, group)]
    return figure.value, figure.n


def test_indicators_for_a_period(db, history):
    found = figures(db, FIRST)
    assert value(found, "requests_per_service", "caw-wonen") == (6, 6)
    assert value(found, "requests_per_service", "vdab-loopbaan") == (1, 1)
    assert value(found, "requests_per_service", "-") == (2, 2)  # the frontoffice decides
    assert value(found, "requests_per_domain", "wonen") == (6, 6)
    assert value(found, "days_to_first_contact", "eerste detentie") == (15, 6)
    assert value(found, "without_first_contact", "eerste detentie") == (0, 6)
    assert value(found, "days_to_answer", "caw-wonen") == (3, 6)
    assert value(found, "days_to_answer", "vdab-loopbaan") == (None, 1)  # fewer than 5
    assert value(found, "late_answers", "caw-wonen") == (0, 6)
    assert ("late_answers", "-") not in found  # cancelled before any answer
    assert value(found, "outcome", "open") == (round(6 / 9, 2), 9)
    assert value(found, "outcome", "declined") == (round(1 / 9, 2), 9)
    assert value(found, "outcome", "cancelled") == (round(2 / 9, 2), 9)
    assert value(found, "via_peer", "via peer") == (round(1 / 9, 2), 9)
    assert value(found, "languages", "nl") == (6, 6)
    assert value(found, "languages", "fr") == (2, 2)
    assert value(found, "languages", "ar") == (1, 1)  # local date: still 31 March
    assert value(found, "unanswered_themes", "wonen") == (1, 1)
    assert value(found, "unanswered_themes", "-") == (2, 2)
    assert value(found, "ratings", "caw-wonen") == (4.2, 5)
    with db() as session:
        assert indicators.rating_comments(session, FIRST)["caw-wonen"] == ["Goed", "Goed"]

    later = figures(db, SECOND)
    assert value(later, "requests_per_service", "caw-wonen") == (2, 2)
    assert value(later, "days_to_answer", "caw-wonen") == (None, 2)
    assert value(later, "ratings", "caw-wonen") == (None, 1)
    assert ("requests_per_service", "vdab-loopbaan") not in later


def test_indicators_compared_on_the_page_and_as_csv(db, history, coordinator):
    # A coordinator gives an unanswered question of the second period a theme.
    with db() as session:
        question = UnansweredQuestion(text="Mag ik een tv op cel?", lang="nl",
                                      asked_at=datetime(2019, 5, 10))
        session.add(question)
        session.commit()
    page = coordinator.get("/staff/unanswered").text
    assert "Mag ik een tv op cel?" in page and f'name="theme_{question.id}"' in page
    themed = coordinator.post("/staff/unanswered", **{f"theme_{question.id}": "gevangenis"})
    assert themed.status_code == 303
    with db() as session:
        assert session.get(UnansweredTheme, question.id).theme == "gevangenis"
    periods = {"from": "2019-01-01", "to": "2019-03-31", "from2": "2019-04-01",
               "to2": "2019-06-30"}
    page = coordinator.get("/staff/indicators", **periods)
    assert page.status_code == 200
    assert "Aanvragen per dienst" in page.text and "Wonen na je vrijlating" in page.text
    assert "01-01-2019 tot 31-03-2019" in page.text and "01-04-2019 tot 30-06-2019" in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page.text

    assert 'href="/staff/indicators.csv?from=2019-01-01&amp;to=2019-03-31' in page.text
    exported = coordinator.get("/staff/indicators.csv", **periods)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.headers["content-disposition"] == \
        'attachment; filename="indicatoren-2019-01-01-2019-03-31.csv"'
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    row = {(r["indicator"], r["groep"]): r for r in rows}
    wonen = row[("requests_per_service", "caw-wonen")]
    assert (wonen["groepnaam"], wonen["waarde 1"], wonen["waarde 2"]) == \
        ("Wonen na je vrijlating", "6", "2")
    assert (wonen["periode 1"], wonen["periode 2"]) == ("01-01-2019 tot 31-03-2019",
                                                       "01-04-2019 tot 30-06-2019")
    assert row[("days_to_first_contact", "eerste detentie")]["waarde 1"] == "15.0"
    hidden = row[("days_to_answer", "vdab-loopbaan")]
    assert (hidden["waarde 1"], hidden["n 1"]) == ("", "1")  # suppressed, the count stays
    assert row[("ratings", "caw-wonen")]["waarde 1"] == "4.2"
    assert row[("unanswered_themes", "gevangenis")]["waarde 2"] == "1"
    assert row[("outcome", "declined")]["groepnaam"] == "geweigerd"

    wrong = coordinator.get("/staff/indicators", **{"from": "2019-03-01", "to": "2019-01-01"})
    assert wrong.status_code == 400 and "Die periode klopt niet" in wrong.text


# The assistant -------------------------------------------------------------------

RESPONSES = yaml.safe_load((BOT_DIR / "domain.yml").read_text())["responses"]


def said(response: str, lang: str, **values) -> str:
    return translations(lang).gettext(RESPONSES[response][0]["text"]).format(**values)


def chat(http: httpx.Client, base: str, message: str, lang: str) -> list[dict]:
    reply = http.post(f"{base}/api/chat", json={"message": message, "lang": lang})
    assert reply.status_code == 200, reply.text
    return reply.json()["replies"]


@pytest.mark.assistant
@pytest.mark.parametrize("lang, typed", [
    ("fr", "Je voudrais plus de sport et de musique le week-end"),
    ("pl", "Chciałbym więcej sportu i muzyki w weekend")])
def test_a_survey_through_the_assistant(assistant, db, lang, typed):
    survey_id, ids = make_survey(db, section=f"S-{lang}")
    person = Person(assistant, db, section=f"S-{lang}", lang=lang)
    http = person.http
    gettext = translations(lang).gettext

    offer = chat(http, assistant, "/give_feedback", lang)
    assert offer[0]["text"] == said("utter_survey_offer", lang)
    title = {"fr": "Enquête sur l'aide", "pl": "Bevraging over de hulp"}[lang]  # no Polish
    assert {"title": title, "payload": f'/answer_survey{{"survey": "{survey_id}"}}'} \
        in offer[0]["buttons"]
    assert offer[-1]["text"] == said("utter_ideas_box", lang)

    first = chat(http, assistant, f'/answer_survey{{"survey": "{survey_id}"}}', lang)
    assert first[0]["text"] == said("utter_survey_question_choice", lang, number=1, total=4,
                                    question=QUESTIONS[0][1][lang])
    assert [b["title"] for b in first[0]["buttons"]] == [
        QUESTIONS[0][2][0][lang], QUESTIONS[0][2][1][lang], gettext("Skip")]
    second = chat(http, assistant, first[0]["buttons"][1]["payload"], lang)  # "No"
    assert second[0]["text"] == said("utter_survey_question_choices", lang, number=2,
                                     total=4, question=QUESTIONS[1][1][lang])
    picked = chat(http, assistant, second[0]["buttons"][0]["payload"], lang)  # work
    picked = chat(http, assistant, picked[0]["buttons"][2]["payload"], lang)  # and family
    assert picked[0]["text"] == said(
        "utter_survey_question_choices_picked", lang, number=2, total=4,
        question=QUESTIONS[1][1][lang],
        picked=f"{QUESTIONS[1][2][0][lang]}, {QUESTIONS[1][2][2][lang]}")
    scale = chat(http, assistant, '/inform{"survey_value": "done"}', lang)
    assert [b["title"] for b in scale[0]["buttons"]][:5] == [
        f"{value} {gettext(label)}" for value, label in feedback.SCALE.items()]
    words = chat(http, assistant, scale[0]["buttons"][3]["payload"], lang)  # 4
    assert words[0]["text"] == said("utter_survey_question_text", lang, number=4, total=4,
                                    question=QUESTIONS[3][1][lang])
    thanks = chat(http, assistant, typed, lang)
    assert [reply["text"] for reply in thanks][0] == said("utter_survey_thanks", lang)

    with db() as session:
        response_id = session.scalar(select(SurveyAnswer.response_id).where(
            SurveyAnswer.text == typed))
        stored = session.execute(select(SurveyAnswer.question_id, SurveyAnswer.choice,
                                        SurveyAnswer.text)
                                 .where(SurveyAnswer.response_id == response_id)).all()
        assert sorted(stored, key=lambda row: (ids.index(row[0]), row[1] or 0)) == [
            (ids[0], 1, None), (ids[1], 0, None), (ids[1], 2, None), (ids[2], 4, None),
            (ids[3], None, typed)]
    # Once only: the survey is no longer offered.
    again = chat(http, assistant, "/give_feedback", lang)
    assert f'"survey": "{survey_id}"' not in str(again)
    late = chat(http, assistant, f'/answer_survey{{"survey": "{survey_id}"}}', lang)
    assert late[0]["text"] == said("utter_survey_already_answered", lang)


def test_replies_in_the_chat_become_answers():
    """bot/actions/survey.py: buttons and typed replies, one question at a time."""
    kinds = {kind: SurveyQuestion(id=n, kind=kind, text=question, options=options)
             for n, (kind, question, options) in enumerate(QUESTIONS, start=1)}
    progress = {"survey": "1", "step": 0, "answers": {}, "picked": []}
    take_answer(kinds["choice"], "non", progress, "fr")  # typed, as the button says it
    assert progress == {"survey": "1", "step": 1, "answers": {"1": 1}, "picked": []}
    for reply in ("3", "1", "3"):  # a second tap takes an answer back
        take_answer(kinds["choices"], reply, progress, "fr")
    assert progress["picked"] == [0] and progress["step"] == 1
    take_answer(kinds["choices"], "done", progress, "fr")
    take_answer(kinds["scale"], "skip", progress, "fr")
    with pytest.raises(surveys.SurveyError):
        take_answer(kinds["text"], '/answer_survey{"survey": "2"}', progress, "fr")
    take_answer(kinds["text"], "  Plus   de sport ", progress, "fr")
    assert progress == {"survey": "1", "step": 4, "answers": {"1": 1, "2": [0],
                                                               "4": "Plus de sport"},
                        "picked": []}
    with pytest.raises(surveys.SurveyError):
        take_answer(kinds["scale"], "6", progress, "fr")


@pytest.fixture
def postgres_url():
    yield from postgres_database()


def test_participation_works_on_postgresql(postgres_url):
    """The same rules on PostgreSQL (the regional set-up): random 62-bit ids, JSON texts."""
    upgrade(postgres_url)
    engine = make_engine(postgres_url)
    sessions = make_sessionmaker(engine)
    try:
        survey_id, ids = make_survey(sessions)
        with sessions() as session:
            load_catalogue(session, CATALOGUE_DIR)
            survey = session.get(Survey, survey_id)
            for number in range(5):
                person = accounts.create_detainee(session, f"P-{number:03d}", "1234")
                session.commit()
                surveys.record(session, SECRET, survey, person,
                               {ids[0]: number % 2, ids[1]: [0, 2], ids[2]: 5,
                                ids[3]: f"tekst {number}"}, today())
            with pytest.raises(surveys.AlreadyAnswered):
                surveys.record(session, SECRET, survey, person, {ids[0]: 0}, today())
            found = surveys.results(session, survey, str)
            assert found.shown and found.questions[0].counts == [("Ja", 3), ("Nee", 2)]
            assert found.questions[3].texts == [f"tekst {number}" for number in range(5)]
            feedback.leave_idea(session, "idea", "Een idee", "ar", today())
            figures = indicators.compute(session, indicators.Period(today(), today()), ZONE,
                                         lambda *_: None)
            assert figures == []  # nothing was requested on this new database
    finally:
        engine.dispose()
