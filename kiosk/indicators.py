"""Indicators for the network (action 4.2 and goal 5 of the action plan), for a period, and
compared between two periods (a zero measurement and a later one).

Every indicator is a list of `Figure`s, one per group (a service, a domain, a language...).
Counts are always given; a statistic (a median, a mean, a share) computed over fewer than
MIN_GROUP is not (value None), so that no one can be singled out.

What the words mean here:
- a request counts in the period it was filed in; requests merged into another are left
  out (they were the same question);
- the answer to a request is the first time staff planned it, closed it as done or
  declined it; it is late when that took longer than the service's answer time (or has
  not happened and the answer time is over);
- a detainee's first contact is their first appointment (a request planned or done) or,
  for a request done without an appointment, the day it was done; it is measured for the
  detainees whose intake falls in the period;
- an unanswered assistant question's theme is the one a coordinator gave it, or else the
  domain of the service the catalogue finds for it now (the catalogue grows);
- a rating counts in the period its week (its Monday) falls in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from statistics import mean, median
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kiosk.feedback import week_of
from kiosk.models import Detainee, HelpRequest, ServiceRating, UnansweredTheme
from kiosk.queue import OPEN_STATES
from knowledge.models import Service, UnansweredQuestion

MIN_GROUP = 5
DEFAULT_ANSWER_DAYS = 14
ANSWER_STATES = ("scheduled", "done", "declined")
NO_SERVICE = "-"  # the group of requests without a service: the frontoffice decides
NO_THEME = "-"

# key: (Dutch title, what a value is)
INDICATORS = {
    "requests_per_service": ("Aanvragen per dienst", "aantal"),
    "requests_per_domain": ("Aanvragen per domein", "aantal"),
    "days_to_first_contact": ("Dagen van opname tot eerste contact (mediaan)", "dagen"),
    "without_first_contact": ("Nog geen eerste contact (aandeel van de opgenomen personen)",
                              "aandeel"),
    "days_to_answer": ("Dagen tot antwoord per dienst (mediaan)", "dagen"),
    "late_answers": ("Te laat beantwoord per dienst (aandeel)", "aandeel"),
    "outcome": ("Afloop van de aanvragen (aandeel)", "aandeel"),
    "via_peer": ("Aanvragen via een peer (aandeel)", "aandeel"),
    "languages": ("Talen van de aanvragen", "aantal"),
    "unanswered_themes": ("Onbeantwoorde vragen aan de assistent per thema", "aantal"),
    "ratings": ("Beoordeling per dienst (gemiddelde op 5)", "score"),
}
FIRST_DETENTION = {True: "eerste detentie", False: "niet de eerste detentie"}
OUTCOMES = ("done", "declined", "cancelled", "open")


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day included

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} tot {self.end:%d-%m-%Y}"


@dataclass(frozen=True)
class Figure:
    indicator: str
    group: str
    value: float | None  # None: computed over fewer than MIN_GROUP
    n: int  # what the value is computed over


@dataclass(frozen=True)
class Comparison:
    indicator: str
    group: str
    first: Figure | None
    second: Figure | None


def compute(db: Session, period: Period, zone: str, theme_of, now: datetime | None = None
            ) -> list[Figure]:
    """Every indicator for `period`. `theme_of(text, lang)` suggests a theme for an
    unanswered question (kiosk/results.py asks the catalogue)."""
    now = now or datetime.utcnow()
    requests = _requests(db, period, zone)
    return [
        *_counts("requests_per_service", [_service_slug(r) for r in requests]),
        *_counts("requests_per_domain", [r.service.domain if r.service else NO_SERVICE
                                         for r in requests]),
        *_first_contact(db, period, zone),
        *_answers(requests, now),
        *_outcome(requests),
        *_counts("languages", [r.lang for r in requests]),
        *_counts("unanswered_themes", _themes(db, period, zone, theme_of)),
        *_ratings(db, period),
    ]


def compare(first: list[Figure], second: list[Figure] | None) -> list[Comparison]:
    """The figures of two periods side by side, in the order of INDICATORS."""
    rows: dict[tuple[str, str], list] = {}
    for column, figures in enumerate((first, second or [])):
        for figure in figures:
            rows.setdefault((figure.indicator, figure.group), [None, None])[column] = figure
    order = list(INDICATORS)
    keys = sorted(rows, key=lambda key: order.index(key[0]))  # stable: groups keep their order
    return [Comparison(key[0], key[1], *rows[key]) for key in keys]


# The figures ---------------------------------------------------------------------

def _utc(day: date, zone: str) -> datetime:
    """Local midnight at the start of `day`, as the naive UTC the database stores."""
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _local_day(moment: datetime, zone: str) -> date:
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(zone)).date()


def _requests(db: Session, period: Period, zone: str) -> list[HelpRequest]:
    return list(db.scalars(
        select(HelpRequest).where(
            HelpRequest.created_at >= _utc(period.start, zone),
            HelpRequest.created_at < _utc(period.end + timedelta(days=1), zone),
            HelpRequest.merged_into_id.is_(None))
        .options(selectinload(HelpRequest.service), selectinload(HelpRequest.events))
        .order_by(HelpRequest.id)))


def _service_slug(request: HelpRequest) -> str:
    return request.service.slug if request.service else NO_SERVICE


def _counts(indicator: str, groups: list[str]) -> list[Figure]:
    """How often each group occurs, most frequent first."""
    counted: dict[str, int] = {}
    for group in groups:
        counted[group] = counted.get(group, 0) + 1
    ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0]))
    return [Figure(indicator, group, count, count) for group, count in ranked]


def _statistic(indicator: str, group: str, values: list[float], how) -> Figure:
    shown = len(values) >= MIN_GROUP
    return Figure(indicator, group, round(how(values), 2) if shown else None, len(values))


def _share(indicator: str, group: str, flags: list[bool]) -> Figure:
    return _statistic(indicator, group, [1.0 if flag else 0.0 for flag in flags], mean)


def _first_contact(db: Session, period: Period, zone: str) -> list[Figure]:
    people = db.scalars(select(Detainee).where(
        Detainee.intake_date >= period.start, Detainee.intake_date <= period.end))
    days: dict[bool, list[float]] = {True: [], False: []}
    without: dict[bool, list[bool]] = {True: [], False: []}
    for person in people:
        requests = db.scalars(select(HelpRequest).where(HelpRequest.detainee_id == person.id)
                              .options(selectinload(HelpRequest.events)))
        contacts = [day for day in (_contact_day(r, zone) for r in requests)
                    if day is not None and day >= person.intake_date]
        without[person.first_detention].append(not contacts)
        if contacts:
            days[person.first_detention].append((min(contacts) - person.intake_date).days)
    groups = [flag for flag in (True, False) if without[flag]]  # nobody: no figure
    return [
        *(_statistic("days_to_first_contact", FIRST_DETENTION[flag], days[flag], median)
          for flag in groups),
        *(_share("without_first_contact", FIRST_DETENTION[flag], without[flag])
          for flag in groups),
    ]


def _contact_day(request: HelpRequest, zone: str) -> date | None:
    if request.state in ("scheduled", "done") and request.scheduled_at:
        return request.scheduled_at.date()  # already local wall-clock time
    if request.state == "done":
        done = next((e for e in request.events if e.state == "done"), None)
        return _local_day(done.at, zone) if done else None
    return None


def _answered_at(request: HelpRequest) -> datetime | None:
    return next((event.at for event in request.events
                 if event.staff_id is not None and event.state in ANSWER_STATES), None)


def _answers(requests: list[HelpRequest], now: datetime) -> list[Figure]:
    days: dict[str, list[float]] = {}
    late: dict[str, list[bool]] = {}
    for request in requests:
        slug, answered = _service_slug(request), _answered_at(request)
        allowed = timedelta(days=request.service.answer_days if request.service
                            else DEFAULT_ANSWER_DAYS)
        if answered is not None:
            waited = answered - request.created_at
            days.setdefault(slug, []).append(waited.total_seconds() / 86400)
            late.setdefault(slug, []).append(waited > allowed)
        elif request.state in OPEN_STATES:
            late.setdefault(slug, []).append(now - request.created_at > allowed)
        # cancelled by the person before any answer: neither answered nor late
    return [*(_statistic("days_to_answer", slug, values, median)
              for slug, values in sorted(days.items())),
            *(_share("late_answers", slug, flags) for slug, flags in sorted(late.items()))]


def _outcome(requests: list[HelpRequest]) -> list[Figure]:
    """How requests ended, and how many came through a peer (nothing for no requests)."""
    if not requests:
        return []
    states = ["open" if r.state in OPEN_STATES else r.state for r in requests]
    return [*(_share("outcome", outcome, [state == outcome for state in states])
              for outcome in OUTCOMES),
            _share("via_peer", "via peer", [r.filed_via_id is not None for r in requests])]


def _themes(db: Session, period: Period, zone: str, theme_of) -> list[str]:
    rows = db.execute(
        select(UnansweredQuestion.text, UnansweredQuestion.lang, UnansweredTheme.theme)
        .outerjoin(UnansweredTheme, UnansweredTheme.question_id == UnansweredQuestion.id)
        .where(UnansweredQuestion.asked_at >= _utc(period.start, zone),
               UnansweredQuestion.asked_at < _utc(period.end + timedelta(days=1), zone)))
    return [theme or theme_of(text, lang) or NO_THEME for text, lang, theme in rows]


def _ratings(db: Session, period: Period) -> list[Figure]:
    rows = db.execute(
        select(Service.slug, ServiceRating.score)
        .outerjoin(Service, Service.id == ServiceRating.service_id)
        .where(ServiceRating.week >= week_of(period.start), ServiceRating.week <= period.end))
    scores: dict[str, list[float]] = {}
    for slug, score in rows:
        scores.setdefault(slug or NO_SERVICE, []).append(score)
    return [_statistic("ratings", slug, values, mean) for slug, values in sorted(scores.items())]


def rating_comments(db: Session, period: Period) -> dict[str, list[str]]:
    """The comments left with ratings, per service, for services with at least MIN_GROUP
    ratings in the period; sorted alphabetically."""
    rows = db.execute(
        select(Service.slug, ServiceRating.comment)
        .outerjoin(Service, Service.id == ServiceRating.service_id)
        .where(ServiceRating.week >= week_of(period.start), ServiceRating.week <= period.end))
    ratings: dict[str, list[str | None]] = {}
    for slug, comment in rows:
        ratings.setdefault(slug or NO_SERVICE, []).append(comment)
    return {slug: sorted((c for c in comments if c), key=str.casefold)
            for slug, comments in sorted(ratings.items())
            if len(comments) >= MIN_GROUP and any(comments)}
