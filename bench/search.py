"""Catalogue search at the real catalogue and at a synthetic region: cost and quality.

Two scales, each in a temporary data directory (database and Whoosh index, built by the
project's own Catalogue and SearchIndex):

- the real catalogue (knowledge/catalogue/);
- a whole region's social map of --services services (default 20,000): the real ones
  plus synthetic ones made by recombining real texts (a real service's text, sentences
  from another service of its domain, a place, an organisation of that place).

For each: time to read the catalogue and build the index (the region's without the
meanings of its texts, which the kiosk's search does not use and which would take hours),
the index's size, the first search (opening the index), then per language the fixed need
questions of bench/data/search_queries.yml through Catalogue.search (the kiosk's search): latency
(median, 95th percentile, --repeat runs each), hit@3 and hit@10 (an expected service in
the first three / on the first page of ten), and kind@3 (an expected service or a
synthetic one recombined from it in the first three: the right kind of help, somewhere in
the region).

    .venv/bin/python bench/search.py [--services 20000] [--repeat 3] [--translated 1.0]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import yaml
from sqlalchemy import func, insert, select

from knowledge import Catalogue
from knowledge.content import load_catalogue
from knowledge.models import Organisation, Service, ServiceText
from knowledge.search import SearchIndex
from wegwijzer.config import CATALOGUE_DIR, REPO_ROOT, Settings
from wegwijzer.database import make_engine, make_sessionmaker, upgrade
from wegwijzer.languages import BASE_LANGUAGES, LANGUAGES

QUERIES = REPO_ROOT / "bench" / "data" / "search_queries.yml"
PLACES = [
    "Genk", "Sint-Truiden", "Tongeren", "Maasmechelen", "Lommel", "Beringen", "Bilzen",
    "Houthalen-Helchteren", "Heusden-Zolder", "Lanaken", "Pelt", "Bree", "Maaseik",
    "Diepenbeek", "Zonhoven", "Leopoldsburg", "Tessenderlo", "Herk-de-Stad", "Hamont-Achel",
    "Dilsen-Stokkem", "Oudsbergen", "Peer", "Kinrooi", "Riemst", "Voeren", "As", "Halen",
    "Lummen", "Nieuwerkerken", "Wellen", "Alken", "Kortessem", "Hoeselt", "Borgloon",
    "Heers", "Gingelom", "Ham", "Hechtel-Eksel", "Leuven", "Antwerpen", "Gent", "Brugge",
    "Mechelen", "Turnhout", "Aalst", "Kortrijk", "Oostende", "Brussel", "Tienen", "Diest",
    "Geel", "Mol", "Herentals", "Lier", "Sint-Niklaas", "Dendermonde", "Roeselare", "Ieper",
]
# Where a synthetic service is offered, said in each language.
PLACE_SENTENCE = {
    "nl": "Voor mensen uit de regio {place}.",
    "fr": "Pour les personnes de la région de {place}.",
    "en": "For people from the {place} area.",
    "ar": "للأشخاص من منطقة {place}.",
    "tr": "{place} bölgesindeki kişiler için.",
    "pl": "Dla osób z okolic {place}.",
    "ro": "Pentru persoanele din zona {place}.",
}
LOCAL_WORDS = re.compile(r"\s*(Limburg|Hasselt|Vlaanderen)\b")
SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def temporary_catalogue() -> tuple[Catalogue, Settings]:
    """A new data directory with the migrated database and the real catalogue."""
    settings = Settings.from_env({"WEGWIJZER_DATA": tempfile.mkdtemp(prefix="wegwijzer-bench-")})
    upgrade(settings.database_url)
    catalogue = Catalogue(make_sessionmaker(make_engine(settings.database_url)),
                          SearchIndex(settings.index_dir))
    with catalogue.sessions() as session:
        load_catalogue(session, CATALOGUE_DIR)
    return catalogue, settings


def real_services(catalogue: Catalogue) -> list[dict]:
    """The real services with what recombining needs: texts, domain, access, organisation."""
    with catalogue.sessions() as session:
        rows = session.execute(select(Service.slug, Service.domain, Service.access,
                                      Organisation.name).join(Service.organisation)).all()
    details = {slug: (domain, access, org) for slug, domain, access, org in rows}
    return [
        {**document, "domain": details[document["slug"]][0],
         "access": details[document["slug"]][1], "organisation": details[document["slug"]][2]}
        for document in catalogue.index_documents()
    ]


def synthetic_services(real: list[dict], count: int, translated: float, rng: random.Random):
    """`count` plausible services of a region, each recombined from real ones."""
    by_domain: dict[str, list[dict]] = {}
    for service in real:
        by_domain.setdefault(service["domain"], []).append(service)
    for number in range(count):
        template = rng.choice(real)
        partner = rng.choice(by_domain[template["domain"]])
        place = rng.choice(PLACES)
        texts = {
            lang: _recombined(text, partner["texts"].get(lang, text), lang, place, rng)
            for lang, text in template["texts"].items()
            if lang in BASE_LANGUAGES or rng.random() < translated
        }
        yield {
            "slug": f"{template['slug']}-{place.lower()}-{number}", "template": template["slug"],
            "organisation": f"{LOCAL_WORDS.sub('', template['organisation'])} {place}",
            "domain": template["domain"], "access": template["access"], "texts": texts,
        }


def _recombined(text: dict, partner: dict, lang: str, place: str, rng: random.Random) -> dict:
    sentences = SENTENCE_END.split(text["description"])
    borrowed = rng.choice(SENTENCE_END.split(partner["description"]))
    kept = [s for s in sentences if rng.random() < 0.8] or sentences[:1]
    keywords = rng.sample(text["keywords"], max(1, round(len(text["keywords"]) * 0.7)))
    extra = rng.sample(partner["keywords"], min(2, len(partner["keywords"])))
    return {
        "name": f"{text['name']} ({place})",
        "summary": text["summary"],
        "description": " ".join([*kept, borrowed, PLACE_SENTENCE[lang].format(place=place)]),
        "how_to_access": rng.choice([text, partner])["how_to_access"],
        "keywords": [*keywords, *extra, place],
    }


def store(catalogue: Catalogue, services: list[dict]) -> None:
    """Inserts the synthetic services in bulk (the ORM would take minutes at this size)."""
    organisations, service_rows, text_rows = {}, [], []
    with catalogue.sessions() as session:
        org_id = session.scalar(select(func.max(Organisation.id)))
        service_id = session.scalar(select(func.max(Service.id)))
        now = datetime.utcnow()
        for service in services:
            if service["organisation"] not in organisations:
                org_id += 1
                organisations[service["organisation"]] = org_id
            service_id += 1
            service_rows.append({
                "id": service_id, "slug": service["slug"], "domain": service["domain"],
                "organisation_id": organisations[service["organisation"]],
                "access": service["access"], "answer_days": 14, "updated_at": now,
                "retired": False})
            text_rows += [{"service_id": service_id, "lang": lang, "source_hashes": {}, **text}
                          for lang, text in service["texts"].items()]
        session.execute(insert(Organisation), [
            {"id": number, "slug": f"org-{number}", "name": name}
            for name, number in organisations.items()])
        session.execute(insert(Service), service_rows)
        session.execute(insert(ServiceText), text_rows)
        session.commit()


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(catalogue: Catalogue, settings: Settings, queries: dict, repeat: int,
            origin: dict[str, str], meanings: bool = True) -> dict:
    """Build and search figures; `origin` maps a synthetic slug to its real template."""
    started = time.perf_counter()
    documents = catalogue.index_documents()
    read = time.perf_counter() - started
    started = time.perf_counter()
    catalogue.index.rebuild(documents, meanings)
    build = time.perf_counter() - started
    started = time.perf_counter()
    catalogue.search("werk", "nl")
    first = time.perf_counter() - started
    result = {"services": len(documents), "read": read, "build": build, "first": first,
              "size": folder_size(settings.index_dir), "languages": {}}
    for lang in LANGUAGES:
        latencies, hits3, hits10, kinds3 = [], 0, 0, 0
        for query in queries[lang]:
            for _ in range(repeat):
                started = time.perf_counter()
                slugs = [hit.slug for hit in catalogue.search(query["text"], lang, limit=10)]
                latencies.append(time.perf_counter() - started)
            hits3 += any(slug in slugs[:3] for slug in query["expected"])
            hits10 += any(slug in slugs for slug in query["expected"])
            kinds3 += any(origin.get(slug, slug) in query["expected"] for slug in slugs[:3])
        result["languages"][lang] = (len(queries[lang]), latencies, hits3, hits10, kinds3)
    return result


def report(results: list[dict]) -> None:
    print(f"\n{'services':>8} {'read s':>7} {'build s':>8} {'index MB':>9} {'first search s':>15}")
    for result in results:
        print(f"{result['services']:8d} {result['read']:7.2f} {result['build']:8.1f} "
              f"{result['size'] / 1e6:9.1f} {result['first']:15.2f}")
    print(f"\n{'services':>8} {'lang':4} {'n':>3} {'median ms':>9} {'p95 ms':>7} "
          f"{'hit@3':>6} {'hit@10':>6} {'kind@3':>6}")
    for result in results:
        rows = list(result["languages"].values())
        every = [value for row in rows for value in row[1]]
        total = (sum(row[0] for row in rows), every, *(sum(row[i] for row in rows)
                                                      for i in (2, 3, 4)))
        for lang, (n, latencies, *hits) in [*result["languages"].items(), ("all", total)]:
            p95 = statistics.quantiles(latencies, n=20)[18]
            print(f"{result['services']:8d} {lang:4} {n:3d} "
                  f"{statistics.median(latencies) * 1000:9.1f} {p95 * 1000:7.1f} "
                  + " ".join(f"{count / n:6.0%}" for count in hits))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=20_000,
                        help="services in the synthetic region, the real ones included")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query")
    parser.add_argument("--translated", type=float, default=1.0,
                        help="share of synthetic services written in each language "
                             "besides Dutch and English")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    queries = yaml.safe_load(QUERIES.read_text("utf-8"))
    # Other work on the machine slows everything down: say how busy it was.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    catalogue, settings = temporary_catalogue()
    try:
        results = [measure(catalogue, settings, queries, args.repeat, {})]
        real = real_services(catalogue)
        started = time.perf_counter()
        synthetic = list(synthetic_services(real, args.services - len(real), args.translated,
                                            random.Random(args.seed)))
        store(catalogue, synthetic)
        print(f"{len(synthetic)} synthetic services made and stored in "
              f"{time.perf_counter() - started:.0f} s")
        origin = {service["slug"]: service["template"] for service in synthetic}
        # Catalogue.search (the kiosk's) is by words; the meanings, for the assistant,
        # would take hours to compute for the region (SearchIndex.rebuild).
        results.append(measure(catalogue, settings, queries, args.repeat, origin,
                               meanings=False))
    finally:
        shutil.rmtree(settings.data_dir, ignore_errors=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    report(results)


if __name__ == "__main__":
    main()
