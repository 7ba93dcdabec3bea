"""The detainee's say: surveys, the ideas box, whether a request helped, and what the
network did with it ("you said, we did"). The rules are in kiosk/surveys.py and
kiosk/feedback.py; nothing here keeps who answered what."""

from __future__ import annotations

from sanic import Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, redirect

from kiosk import feedback, queue, surveys
from kiosk.sessions import database, detainee_page


def _render(request: Request, name: str, status: int = 200, **context) -> HTTPResponse:
    return request.app.ctx.templates.render(request, name, status=status,
                                            in_language=feedback.in_language, **context)


def _today(request: Request):
    return feedback.local_today(request.app.ctx.settings.timezone)


def _translated(request: Request, error: Exception) -> str:
    return request.app.ctx.templates.gettext(request.ctx.lang, str(error))


async def have_your_say(request: Request) -> HTTPResponse:
    """Open surveys (for someone signed in), the ideas box, and "you said, we did"."""
    detainee, today = request.ctx.detainee, _today(request)
    with database(request) as db:
        open_surveys, answered = [], set()
        if detainee is not None:
            open_surveys = surveys.open_surveys(db, detainee, today)
            secret = request.app.ctx.secret_key
            answered = {survey.id for survey in open_surveys
                        if surveys.has_answered(db, secret, survey, detainee)}
        return _render(request, "say.html", surveys=open_surveys, answered=answered,
                       news=feedback.news(db, today, limit=feedback.NEWS_ON_KIOSK),
                       thanks=request.args.get("thanks"))


@detainee_page
async def survey_form(request: Request, survey_id: int) -> HTTPResponse:
    with database(request) as db:
        return _survey_view(request, db, _survey(request, db, survey_id))


def _survey(request: Request, db, survey_id: int):
    survey = surveys.survey_for(db, survey_id, request.ctx.detainee, _today(request))
    if survey is None:
        raise NotFound("no such open survey")
    return survey


def _survey_view(request: Request, db, survey, status: int = 200, error: str = "",
                 values: dict | None = None) -> HTTPResponse:
    done = surveys.has_answered(db, request.app.ctx.secret_key, survey, request.ctx.detainee)
    return _render(request, "survey_form.html", status=status, survey=survey, done=done,
                   error=error, values=values or {}, scale=feedback.SCALE,
                   options=lambda question: surveys.option_labels(question, request.ctx.lang))


@detainee_page
async def answer_survey(request: Request, survey_id: int) -> HTTPResponse:
    with database(request) as db:
        survey = _survey(request, db, survey_id)
        answers = _answers(survey, request.form)
        try:
            surveys.record(db, request.app.ctx.secret_key, survey, request.ctx.detainee,
                           answers, _today(request))
        except surveys.AlreadyAnswered:
            return redirect("/surveys", status=303)
        except surveys.SurveyError as error:
            return _survey_view(request, db, survey, status=400, values=answers,
                                error=_translated(request, error))
    return redirect("/surveys?thanks=survey", status=303)


def _answers(survey, form) -> dict:
    """The form's fields q<id> as {question id: value}: a list for several choices."""
    answers = {}
    for question in survey.questions:
        name = f"q{question.id}"
        answers[question.id] = form.getlist(name, []) if question.kind == "choices" \
            else form.get(name, "")
    return answers


async def idea_form(request: Request) -> HTTPResponse:
    return _render(request, "idea_form.html", kinds=feedback.IDEA_KINDS, values={})


async def leave_idea(request: Request) -> HTTPResponse:
    form = request.form
    values = {"kind": form.get("kind", ""), "text": form.get("text", "")}
    try:
        with database(request) as db:
            feedback.leave_idea(db, values["kind"], values["text"], request.ctx.lang,
                                _today(request))
    except feedback.FeedbackError as error:
        return _render(request, "idea_form.html", status=400, kinds=feedback.IDEA_KINDS,
                       values=values, error=_translated(request, error))
    return redirect("/surveys?thanks=idea", status=303)


@detainee_page
async def rate_request(request: Request, ref: str) -> HTTPResponse:
    """Whether a done request helped: a face and a sentence, or "I would rather not say"."""
    form = request.form
    score = None if form.get("skip") else form.get("score", "")
    with database(request) as db:
        found = queue.own_request(db, request.ctx.detainee, ref)
        if found is None:
            raise NotFound("unknown request")
        if score is not None and not score.isdigit():
            return redirect("/requests?rating=missing", status=303)
        try:
            feedback.rate(db, request.ctx.detainee, found, None if score is None else int(score),
                          form.get("comment", ""), _today(request))
        except feedback.FeedbackError:
            return redirect("/requests?rating=missing", status=303)
    return redirect("/requests?rating=thanks", status=303)


ROUTES = [
    ("/surveys", have_your_say, ["GET"]),
    ("/surveys/<survey_id:int>", survey_form, ["GET"]),
    ("/surveys/<survey_id:int>", answer_survey, ["POST"]),
    ("/ideas", idea_form, ["GET"]),
    ("/ideas", leave_idea, ["POST"]),
    ("/requests/<ref>/rating", rate_request, ["POST"]),
]
