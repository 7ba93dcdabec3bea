"""Surveys: written by coordinators in seven languages, answered once per person, anonymously.

How anonymity holds. A response holds the answers only: a random id, no person, no session,
no date. That someone answered is kept apart, as a marker HMAC(secret key, survey:person):
it stops a second answer, cannot be turned back into the person, and shares nothing with
the response it came with (SQLite keeps both tables in the order of their random keys, not
in the order people answered). Results are shown only from MIN_GROUP answers.

The same functions serve the kiosk page (kiosk/participation.py) and the assistant
(bot/actions/survey.py); answers are {question id: value}, the value an option's index
("choice"), a list of them ("choices"), 1-5 ("scale") or a text ("text").
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from kiosk.accounts import audit
from kiosk.feedback import SCALE, FeedbackError, in_language, random_id, written_texts
from kiosk.models import (
    Detainee,
    StaffUser,
    Survey,
    SurveyAnswer,
    SurveyMarker,
    SurveyQuestion,
    SurveyResponse,
)
from wegwijzer.i18n import N_
from wegwijzer.languages import DEFAULT_LANGUAGE

# Question kinds, with their names in the (Dutch) console.
KINDS = {
    "choice": "Eén antwoord kiezen",
    "choices": "Meerdere antwoorden kiezen",
    "scale": "Schaal van 1 tot 5 met gezichtjes",
    "text": "Kort antwoord in eigen woorden",
}
CHOICE_KINDS = ("choice", "choices")
# No result is shown for fewer answers than this.
MIN_GROUP = 5
MAX_TEXT_ANSWER = 500
TOO_LONG = N_("Your text is too long. Please keep it shorter.")
MAX_OPTIONS = 12


class SurveyError(ValueError):
    """For the detainee an English msgid; for the console a Dutch sentence."""


class AlreadyAnswered(SurveyError):
    pass


# Who may answer what -------------------------------------------------------------

def is_open(survey: Survey, today: date) -> bool:
    return survey.published and survey.opens_on <= today <= survey.closes_on


def is_for(survey: Survey, detainee: Detainee) -> bool:
    """Every section, or the survey's own (such as the women's section)."""
    return not survey.section or _same_section(survey.section, detainee.section)


def _same_section(a: str, b: str) -> bool:
    return a.strip().casefold() == (b or "").strip().casefold()


def open_surveys(db: Session, detainee: Detainee, today: date) -> list[Survey]:
    """The surveys this person may answer today (answered ones included)."""
    surveys = db.scalars(select(Survey).where(
        Survey.published.is_(True), Survey.opens_on <= today, Survey.closes_on >= today)
        .options(selectinload(Survey.questions)).order_by(Survey.closes_on, Survey.id))
    return [survey for survey in surveys if is_for(survey, detainee)]


def survey_for(db: Session, survey_id, detainee: Detainee, today: date) -> Survey | None:
    """The survey if this person may answer it today, else None."""
    try:
        survey = db.get(Survey, int(survey_id))
    except (TypeError, ValueError):
        return None
    if survey is None or not is_open(survey, today) or not is_for(survey, detainee):
        return None
    return survey


def marker(secret_key: str, survey_id: int, detainee_id: int) -> str:
    message = f"survey:{survey_id}:{detainee_id}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def has_answered(db: Session, secret_key: str, survey: Survey, detainee: Detainee) -> bool:
    return db.get(SurveyMarker, marker(secret_key, survey.id, detainee.id)) is not None


# Answering -----------------------------------------------------------------------

def check_answer(question: SurveyQuestion, value):
    """The value as stored, or None for "not answered"; SurveyError if it cannot be."""
    if value in (None, "", []):
        return None
    if question.kind == "text":
        text = " ".join(str(value).split())
        if len(text) > MAX_TEXT_ANSWER:
            raise SurveyError(TOO_LONG)
        return text or None
    values = value if isinstance(value, list) else [value]
    try:
        numbers = sorted({int(item) for item in values})
    except (TypeError, ValueError):
        raise SurveyError(N_("Choose one of the answers.")) from None
    allowed = SCALE if question.kind == "scale" else range(len(question.options))
    if not numbers or any(number not in allowed for number in numbers):
        raise SurveyError(N_("Choose one of the answers."))
    if question.kind == "choices":
        return numbers
    if len(numbers) > 1:
        raise SurveyError(N_("Choose one of the answers."))
    return numbers[0]


def record(db: Session, secret_key: str, survey: Survey, detainee: Detainee, answers: dict,
           today: date) -> None:
    """Keeps one person's answers, once: the marker and the response in one transaction."""
    if not is_open(survey, today) or not is_for(survey, detainee):
        raise SurveyError(N_("This survey is not open."))
    checked = {question.id: check_answer(question, answers.get(question.id))
               for question in survey.questions}
    if all(value is None for value in checked.values()):
        raise SurveyError(N_("Please answer at least one question."))
    response = SurveyResponse(id=random_id(), survey_id=survey.id)
    for question_id, value in checked.items():
        for item in _rows(value):
            response.answers.append(SurveyAnswer(id=random_id(), question_id=question_id,
                                                 **item))
    db.add(SurveyMarker(marker=marker(secret_key, survey.id, detainee.id), survey_id=survey.id))
    db.add(response)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise AlreadyAnswered(N_("You have already answered this survey. Thank you!")) from None


def _rows(value) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, str):
        return [{"text": value}]
    return [{"choice": number} for number in (value if isinstance(value, list) else [value])]


def option_labels(question: SurveyQuestion, lang: str) -> list[str]:
    """The answers to choose from in `lang` (a choice question's options; the scale's
    faces are translated where shown)."""
    if question.kind == "scale":
        return list(SCALE.values())
    return [in_language(option, lang) for option in question.options]


# Writing surveys (coordinators) ----------------------------------------------------

def save_survey(db: Session, staff: StaffUser, survey: Survey | None, *, title: dict,
                intro: dict, section: str, opens_on: date | None,
                closes_on: date | None) -> Survey:
    """Makes a new draft survey, or changes a draft."""
    if survey is not None and survey.published:
        raise SurveyError("Een gepubliceerde bevraging kan niet meer veranderen.")
    if opens_on is None or closes_on is None or closes_on < opens_on:
        raise SurveyError("Geef een begin- en einddatum; het einde komt na het begin.")
    try:
        title = written_texts(title)
    except FeedbackError:
        raise SurveyError("Geef minstens een Nederlandse titel.") from None
    if survey is None:
        survey = Survey(created_by_id=staff.id)
        db.add(survey)
    survey.title, survey.section = title, section.strip()[:40]
    survey.intro = {lang: text for lang, text in intro.items() if text.strip()}
    survey.opens_on, survey.closes_on = opens_on, closes_on
    db.flush()
    audit(db, staff, "survey.save", f"survey:{survey.id}", title=title[DEFAULT_LANGUAGE])
    db.commit()
    return survey


def add_question(db: Session, staff: StaffUser, survey: Survey, kind: str, text: dict,
                 options: dict[str, list[str]]) -> SurveyQuestion:
    """Adds a question to a draft. `options` are each language's lines; a language whose
    lines are missing shows the Dutch ones."""
    if survey.published:
        raise SurveyError("Een gepubliceerde bevraging kan niet meer veranderen.")
    if kind not in KINDS:
        raise SurveyError("Kies een soort vraag.")
    try:
        text = written_texts(text)
    except FeedbackError:
        raise SurveyError("Schrijf de vraag minstens in het Nederlands.") from None
    question = SurveyQuestion(kind=kind, text=text, position=len(survey.questions),
                              options=_options(options) if kind in CHOICE_KINDS else [])
    survey.questions.append(question)
    audit(db, staff, "survey.question", f"survey:{survey.id}", kind=kind)
    db.commit()
    return question


def _options(lines: dict[str, list[str]]) -> list[dict]:
    dutch = lines.get(DEFAULT_LANGUAGE) or []
    if not 2 <= len(dutch) <= MAX_OPTIONS:
        raise SurveyError(f"Geef 2 tot {MAX_OPTIONS} antwoorden in het Nederlands, "
                          "één per regel.")
    for lang, texts in lines.items():
        if texts and len(texts) != len(dutch):
            raise SurveyError(f"De antwoorden in taal '{lang}' moeten even veel regels "
                              "hebben als in het Nederlands.")
    return [{lang: texts[index] for lang, texts in lines.items() if texts}
            for index in range(len(dutch))]


def remove_question(db: Session, staff: StaffUser, survey: Survey, question_id: int) -> None:
    if survey.published:
        raise SurveyError("Een gepubliceerde bevraging kan niet meer veranderen.")
    survey.questions = [q for q in survey.questions if q.id != question_id]
    for position, question in enumerate(survey.questions):
        question.position = position
    audit(db, staff, "survey.question.remove", f"survey:{survey.id}")
    db.commit()


def publish(db: Session, staff: StaffUser, survey: Survey) -> None:
    if not survey.questions:
        raise SurveyError("Voeg eerst minstens één vraag toe.")
    survey.published = True
    audit(db, staff, "survey.publish", f"survey:{survey.id}")
    db.commit()


def close(db: Session, staff: StaffUser, survey: Survey, today: date) -> None:
    """Closes an open survey now: yesterday was its last day."""
    if survey.closes_on >= today:
        survey.closes_on = today - timedelta(days=1)
        survey.opens_on = min(survey.opens_on, survey.closes_on)
        audit(db, staff, "survey.close", f"survey:{survey.id}")
        db.commit()


def delete(db: Session, staff: StaffUser, survey: Survey) -> None:
    if survey.published:
        raise SurveyError("Een gepubliceerde bevraging blijft bewaard; sluit ze in de plaats.")
    audit(db, staff, "survey.delete", f"survey:{survey.id}", title=survey.title.get("nl"))
    db.delete(survey)
    db.commit()


# Results -------------------------------------------------------------------------

@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int  # how many people answered this question
    shown: bool  # False: fewer than MIN_GROUP answers, nothing else is given
    counts: list[tuple[str, int]] = field(default_factory=list)  # (Dutch label, count)
    mean: float | None = None  # the scale's average
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    questions: list[QuestionResult]

    @property
    def shown(self) -> bool:
        return self.respondents >= MIN_GROUP


def results(db: Session, survey: Survey, label) -> SurveyResults:
    """Counts per answer, the scale's mean, and the texts (sorted alphabetically, which
    says nothing about who wrote them); `label` translates the scale's msgids."""
    respondents = db.scalar(select(func.count()).select_from(SurveyResponse)
                            .where(SurveyResponse.survey_id == survey.id))
    return SurveyResults(survey, respondents,
                         [_question_result(db, question, label, respondents >= MIN_GROUP)
                          for question in survey.questions])


def _question_result(db: Session, question: SurveyQuestion, label, survey_shown: bool):
    answered = db.scalar(select(func.count(func.distinct(SurveyAnswer.response_id)))
                         .where(SurveyAnswer.question_id == question.id))
    result = QuestionResult(question, answered, survey_shown and answered >= MIN_GROUP)
    if not result.shown:
        return result
    if question.kind == "text":
        result.texts = sorted(db.scalars(select(SurveyAnswer.text).where(
            SurveyAnswer.question_id == question.id)), key=str.casefold)
        return result
    counted = dict(db.execute(select(SurveyAnswer.choice, func.count())
                              .where(SurveyAnswer.question_id == question.id)
                              .group_by(SurveyAnswer.choice)).all())
    if question.kind == "scale":
        labels = {value: f"{value} {label(face)}" for value, face in SCALE.items()}
    else:
        labels = dict(enumerate(option_labels(question, DEFAULT_LANGUAGE)))
    result.counts = [(name, counted.get(value, 0)) for value, name in labels.items()]
    if question.kind == "scale":
        result.mean = round(sum(v * n for v, n in counted.items()) / answered, 2)
    return result
