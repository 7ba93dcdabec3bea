"""The Whoosh search index: one index per language, rebuilt from the database.

Each language's index holds every service, with the service's text in that language
(analysed for that language) and its Dutch and English text (analysed for those), so a
search in Polish still finds a service that has no Polish text yet. The stored name and
summary are those the reader will see, with the language they are written in.

Beside the word indexes, a generation keeps the meaning (knowledge/meaning.py) of each
service's text in each language, for `search_meaning`.

Indexes are built into a new generation folder and switched to by rewriting the file
CURRENT atomically; readers in other processes notice the switch on their next search.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.query import FuzzyTerm, Or, Term

from knowledge.analysis import analyser, normalise, stopwords
from knowledge.meaning import DIMENSIONS, embed_passage, embed_queries, passage_digest
from wegwijzer.languages import BASE_LANGUAGES, LANGUAGES, fallback_order

# The index depends on the catalogue and on how it is analysed: a change to either
# (this module, analysis.py or meaning.py) makes a new generation.
CODE_FILES = tuple(Path(__file__).with_name(name)
                   for name in ("search.py", "analysis.py", "meaning.py"))
MEANINGS_FILE = "meanings.npz"
# How much a match in each part of a service's text counts. Keywords are written for search;
# names are often proper names ("Veilig Huis" is not about housing).
PART_WEIGHTS = {"keywords": 4.0, "name": 2.0, "summary": 2.0, "body": 1.0}
# A match in the Dutch/English text counts less than one in the reader's own language.
BASE_LANGUAGE_WEIGHT = 0.6
# A near miss (a typo) counts less than the word itself, and two letters off less than one.
# Typos are matched against the unstemmed words: a misspelt word does not stem like the
# real one ("wonning" stays "wonning", "woning" becomes "woon").
FUZZY_WEIGHTS = {1: 1.2, 2: 0.5}
MIN_FUZZY_LENGTH = {1: 4, 2: 7}


@dataclass(frozen=True)
class Hit:
    slug: str
    name: str
    summary: str
    lang: str  # the language name and summary are written in
    score: float


def indexed_languages(lang: str) -> tuple[str, ...]:
    return (lang,) + tuple(base for base in BASE_LANGUAGES if base != lang)


def schema_for(lang: str) -> Schema:
    fields = {
        "slug": ID(stored=True, unique=True),
        "name": STORED(),
        "summary": STORED(),
        "text_lang": STORED(),
    }
    for text_lang in indexed_languages(lang):
        for part in PART_WEIGHTS:
            fields[f"{part}_{text_lang}"] = TEXT(analyzer=analyser(text_lang))
        fields[f"words_{text_lang}"] = TEXT(analyzer=analyser(text_lang, stem=False))
    return Schema(**fields)


def document(service: dict, lang: str) -> dict:
    """The index document of `service` ({"slug", "texts": {lang: {...}}}) for readers of `lang`."""
    texts = service["texts"]
    shown = next(candidate for candidate in fallback_order(lang) if candidate in texts)
    doc = {
        "slug": service["slug"],
        "name": texts[shown]["name"],
        "summary": texts[shown]["summary"],
        "text_lang": shown,
    }
    for text_lang in indexed_languages(lang):
        if text := texts.get(text_lang):
            doc[f"name_{text_lang}"] = text["name"]
            doc[f"keywords_{text_lang}"] = " ".join(text["keywords"])
            doc[f"summary_{text_lang}"] = text["summary"]
            doc[f"body_{text_lang}"] = "\n".join(
                text[field] for field in ("who_for", "description", "how_to_access"))
            doc[f"words_{text_lang}"] = "\n".join(
                doc[f"{part}_{text_lang}"] for part in PART_WEIGHTS)
    return doc


def passage(text: dict) -> str:
    """The part of a service's text in one language that its meaning is taken from."""
    return (f"{text['name']}. {text['summary']} {', '.join(text['keywords'])}. "
            f"{text['who_for']} {text['description']}")


def write_meanings(services: list[dict], target: Path, previous: Path | None) -> None:
    """The meaning of every service's text in every language, as rows of `target`'s
    MEANINGS_FILE. Vectors of texts that `previous` (the generation before) already has
    are taken from it: a text takes a tenth of a second, and a staff edit changes few."""
    known = {}
    if previous is not None and (previous / MEANINGS_FILE).exists():
        with np.load(previous / MEANINGS_FILE) as old:
            known = dict(zip(old["digests"].tolist(), old["vectors"], strict=True))
    slugs, digests, vectors = [], [], []
    for service in services:
        for text in map(passage, service["texts"].values()):
            digest = passage_digest(text)
            slugs.append(service["slug"])
            digests.append(digest)
            vectors.append(known[digest] if digest in known else embed_passage(text))
    np.savez(target / MEANINGS_FILE, slugs=np.array(slugs, dtype=str),
             digests=np.array(digests, dtype=str),
             vectors=np.vstack(vectors) if vectors else np.zeros((0, DIMENSIONS), np.float32))


def fingerprint(services: list[dict]) -> str:
    digest = hashlib.sha256()
    for path in CODE_FILES:
        digest.update(path.read_bytes())
    digest.update(json.dumps(services, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


class SearchIndex:
    """The index folder: builds generations, and searches the current one."""

    def __init__(self, folder: Path):
        self.folder = folder
        # (generation, {lang: searcher}, (slug of each row, meaning vectors))
        self._open: tuple[str, dict, tuple[list[str], np.ndarray]] | None = None

    def current_generation(self) -> str | None:
        try:
            return (self.folder / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def is_current(self, services: list[dict]) -> bool:
        return self.current_generation() == fingerprint(services)

    def rebuild(self, services: list[dict], meanings: bool = True) -> str:
        """Builds a generation for `services` (unless it exists) and makes it current.

        The meanings take about 0.14 s a text on two cores, once (a rebuild reuses those of
        unchanged texts): 35 s for the 36 services in seven languages, hours for a region of
        thousands. Without them (`meanings=False`) the index searches by words only."""
        generation = fingerprint(services)
        with self._write_lock():
            target = self.folder / generation
            if not target.exists():
                building = self.folder / f"{generation}.building"
                shutil.rmtree(building, ignore_errors=True)
                for lang in LANGUAGES:
                    (building / lang).mkdir(parents=True)
                    ix = index.create_in(building / lang, schema_for(lang))
                    with ix.writer() as writer:
                        for service in services:
                            writer.add_document(**document(service, lang))
                if meanings:
                    current = self.current_generation()
                    write_meanings(services, building, current and self.folder / current)
                building.rename(target)
            pointer = self.folder / "CURRENT.tmp"
            pointer.write_text(generation)
            os.replace(pointer, self.folder / "CURRENT")
            self._remove_old_generations(keep=generation)
        return generation

    def search(self, text: str, lang: str, limit: int = 10) -> list[Hit]:
        searcher = self._searcher(lang)
        query = build_query(searcher, text, lang)
        if query is None:
            return []
        return [self._hit(hit.fields(), hit.score)
                for hit in searcher.search(query, limit=limit)]

    def search_meaning(self, text: str, lang: str, limit: int = 10,
                       meaning: np.ndarray | None = None) -> list[Hit]:
        """Services by how near the meaning of their text, in any language, lies to `text`'s
        (the score is the cosine; `meaning` is the text's, if known). Every service lies
        near any text to some degree (nonsense scores as high as a need), so this ranking
        only joins a word search."""
        searcher = self._searcher(lang)
        slugs, vectors = self._open[2]
        if not slugs:
            return []
        nearest: dict[str, float] = {}
        if meaning is None:
            meaning = embed_queries([text])[0]
        scores = (vectors @ meaning).tolist()
        for slug, score in zip(slugs, scores, strict=True):
            nearest[slug] = max(nearest.get(slug, -1.0), score)
        ranked = sorted(nearest, key=nearest.get, reverse=True)[:limit]
        return [self._hit(searcher.document(slug=slug), nearest[slug]) for slug in ranked]

    @staticmethod
    def _hit(fields: dict, score: float) -> Hit:
        return Hit(fields["slug"], fields["name"], fields["summary"], fields["text_lang"],
                   round(score, 4))

    def _searcher(self, lang: str):
        generation = self.current_generation()
        if generation is None:
            raise LookupError(f"no search index in {self.folder}; run `wegwijzer index`")
        if self._open is None or self._open[0] != generation:
            # Generations never change once built, so their searchers never go stale.
            folder = self.folder / generation
            searchers = {code: index.open_dir(folder / code).searcher() for code in LANGUAGES}
            meanings = ([], np.zeros((0, DIMENSIONS), np.float32))
            if (folder / MEANINGS_FILE).exists():
                with np.load(folder / MEANINGS_FILE) as stored:
                    meanings = (stored["slugs"].tolist(), stored["vectors"])
            self._open = (generation, searchers, meanings)
        return self._open[1][lang]

    @contextmanager
    def _write_lock(self):
        # One writer at a time, across processes.
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _remove_old_generations(self, keep: str) -> None:
        # Readers that still have old files open keep reading them (POSIX semantics).
        for entry in self.folder.iterdir():
            if entry.is_dir() and entry.name != keep:
                shutil.rmtree(entry, ignore_errors=True)


def build_query(searcher, text: str, lang: str):
    """Any word may match, in any indexed language; typos match at a lower weight.

    Only words the index does not know are matched as typos: looking up near misses is
    the costly part of a search, and a known word needs none.
    """
    schema = searcher.schema
    clauses = []
    # The reader's own little words ("de", "het") must not match the Dutch/English text.
    content_words = " ".join(
        word for word in re.findall(r"\w+", normalise(text).lower())
        if word not in stopwords(lang))
    for text_lang in indexed_languages(lang):
        own_language = text_lang == lang
        language_weight = 1.0 if own_language else BASE_LANGUAGE_WEIGHT
        query_text = text if own_language else content_words
        for part, part_weight in PART_WEIGHTS.items():
            field = f"{part}_{text_lang}"
            weight = language_weight * part_weight
            for token in set(schema[field].process_text(query_text, mode="query")):
                clauses.append(Term(field, token, boost=weight))
        field = f"words_{text_lang}"
        for token in set(schema[field].process_text(query_text, mode="query")):
            if searcher.doc_frequency(field, token):
                continue
            for distance, fuzzy_weight in FUZZY_WEIGHTS.items():
                if len(token) >= MIN_FUZZY_LENGTH[distance]:
                    clauses.append(FuzzyTerm(field, token, boost=language_weight * fuzzy_weight,
                                             maxdist=distance, prefixlength=1))
    return Or(clauses) if clauses else None
