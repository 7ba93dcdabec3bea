"""`Catalogue`: the catalogue as the kiosk and the assistant see it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import selectinload, sessionmaker

from knowledge.models import Service, UnansweredQuestion
from knowledge.search import Hit, SearchIndex
from wegwijzer.config import Settings
from wegwijzer.database import make_engine, make_sessionmaker
from wegwijzer.languages import fallback_order

# Reciprocal rank fusion: how deep each ranking is read, and its usual damping constant.
FUSION_DEPTH = 20
FUSION_K = 60


@dataclass(frozen=True)
class ServicePage:
    slug: str
    lang: str  # the language the texts below are written in
    name: str
    summary: str
    description: str
    how_to_access: str
    who_for: str
    keywords: list[str]
    domain: str
    access: str
    organisation: str
    website: str | None
    languages: list[str]  # every language this service is written in
    last_checked: date | None = None
    retired: bool = False
    cost: str | None = None  # "free", "paid" or None: not known (knowledge.labels.COSTS)

    def as_json(self) -> dict:
        data = dict(self.__dict__)
        data["last_checked"] = self.last_checked.isoformat() if self.last_checked else None
        return data


class Catalogue:
    def __init__(self, sessions: sessionmaker, search_index: SearchIndex):
        self.sessions = sessions
        self.index = search_index

    @classmethod
    def from_settings(cls, settings: Settings) -> "Catalogue":
        sessions = make_sessionmaker(make_engine(settings.database_url))
        return cls(sessions, SearchIndex(settings.index_dir))

    def search(self, text: str, lang: str, limit: int = 10) -> list[Hit]:
        return self.index.search(text, lang, limit)

    def search_need(self, text: str, topics: list[str], lang: str, limit: int = 3,
                    meaning: np.ndarray | None = None) -> list[Hit]:
        """A need in the user's own words, plus, for a follow-up, the topics of the
        conversation so far.

        The words are searched, and when they match anything, so is their meaning: it
        finds the service for a need said in other words than the catalogue's (on the
        held-out need questions of the first five sets of bench/data, when it was added:
        97.5 % hit@3 against 96.2 % by words alone, Arabic 90.8 against 89.2). Meaning
        alone never answers: every text lies near some service, and a question nothing
        matches is recorded for the staff.
        Topics are canonical English names ("housing"), found through each service's
        English text. The rankings are merged by reciprocal rank fusion, so a service
        ranked well by several comes first. `meaning` is the text's, when the NLU already
        found it (knowledge/meaning.py).
        """
        rankings = [self.search(text, lang, limit=FUSION_DEPTH)]
        if rankings[0]:
            rankings.append(self.index.search_meaning(text, lang, FUSION_DEPTH, meaning))
        if topics:
            rankings.append(self.search(" ".join(topics), lang, limit=FUSION_DEPTH))
        fused: dict[str, float] = {}
        hits: dict[str, Hit] = {}
        for ranking in rankings:
            for rank, hit in enumerate(ranking):
                fused[hit.slug] = fused.get(hit.slug, 0.0) + 1.0 / (FUSION_K + rank)
                hits.setdefault(hit.slug, hit)
        best = sorted(fused, key=fused.get, reverse=True)[:limit]
        return [replace(hits[slug], score=round(fused[slug], 4)) for slug in best]

    def record_unanswered(self, text: str, lang: str) -> None:
        """Keeps a question nothing answered, for the staff (no identity is stored)."""
        with self.sessions() as session:
            session.add(UnansweredQuestion(text=text[:1000], lang=lang))
            session.commit()

    def all_services(self, lang: str, domain: str | None = None) -> list[Hit]:
        """Every service (of `domain`), in alphabetical order of its name as the reader sees it."""
        hits = []
        for service in self._services():
            if domain is not None and service.domain != domain:
                continue
            text, shown = _best_text(service, lang)
            hits.append(Hit(service.slug, text.name, text.summary, shown, 0.0))
        return sorted(hits, key=lambda hit: hit.name.casefold())

    def service(self, slug: str, lang: str) -> ServicePage | None:
        with self.sessions() as session:
            service = session.scalar(
                select(Service).where(Service.slug == slug).options(
                    selectinload(Service.texts), selectinload(Service.organisation))
            )
            if service is None:
                return None
            text, shown = _best_text(service, lang)
            return ServicePage(
                slug=service.slug, lang=shown, name=text.name, summary=text.summary,
                description=text.description, how_to_access=text.how_to_access,
                who_for=text.who_for,
                keywords=list(text.keywords), domain=service.domain, access=service.access,
                organisation=service.organisation.name, website=service.organisation.website,
                languages=sorted(service.texts), last_checked=service.last_checked,
                retired=service.retired, cost=service.cost,
            )

    def domains(self) -> dict[str, str]:
        """The domain of every service, by slug (for icons and colours next to search hits)."""
        with self.sessions() as session:
            return dict(session.execute(select(Service.slug, Service.domain)).all())

    def refresh_index(self) -> bool:
        """Rebuilds the search index if the database changed since it was built."""
        documents = self.index_documents()
        if self.index.is_current(documents):
            return False
        self.index.rebuild(documents)
        return True

    def index_documents(self) -> list[dict]:
        return [
            {
                "slug": service.slug,
                "texts": {
                    lang: {
                        "name": text.name, "summary": text.summary,
                        "description": text.description,
                        "how_to_access": text.how_to_access, "who_for": text.who_for,
                        "keywords": list(text.keywords),
                    }
                    for lang, text in sorted(service.texts.items())
                },
            }
            for service in self._services()
        ]

    def _services(self) -> list[Service]:
        """The services offered today (not the retired ones)."""
        with self.sessions() as session:
            return list(session.scalars(
                select(Service).where(Service.retired.is_(False)).order_by(Service.slug)
                .options(selectinload(Service.texts))
            ))


def _best_text(service: Service, lang: str):
    shown = next(code for code in fallback_order(lang) if code in service.texts)
    return service.texts[shown], shown
