"""HSDS exchange: the export is valid HSDS 3.0 in every language, an import gives back what
was exported, and a wrong file is refused with where and why, without changing anything."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from knowledge import hsds
from knowledge.models import Service, ServiceVersion
from wegwijzer.cli import main
from wegwijzer.database import make_engine, make_sessionmaker, upgrade
from wegwijzer.languages import LANGUAGES


@pytest.fixture(scope="module")
def validators():
    found = hsds.schema_validators()
    if found is None:
        pytest.skip(f"the HSDS 3.0 schemas are not in {hsds.SCHEMA_DIR} (beside the clone)")
    return found


@pytest.fixture(scope="module")
def exported(catalogue, tmp_path_factory):
    """The test catalogue exported: {lang: path}."""
    folder = tmp_path_factory.mktemp("hsds")
    with catalogue.sessions() as session:
        hsds.export_files(session, folder, hsds.schema_validators())
    return {lang: folder / hsds.FILE_NAME.format(lang=lang) for lang in LANGUAGES}


@pytest.fixture
def empty_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    return make_sessionmaker(make_engine(url))


def read(path):
    return json.loads(path.read_text("utf-8"))


def write(path, document):
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


def service_record(document, slug):
    for organisation in document["contents"]:
        for record in organisation["services"]:
            if record["x-wegwijzer"]["slug"] == slug:
                return record
    raise KeyError(slug)


def import_(sessions, paths):
    with sessions() as session:
        return hsds.import_files(session, list(paths), hsds.schema_validators())


def snapshot(sessions):
    """Everything an import may change: the catalogue rows and the number of versions."""
    with sessions() as session:
        return (hsds.read_catalogue(session),
                session.scalar(select(func.count(ServiceVersion.id))))


def problems_of(sessions, paths) -> str:
    before = snapshot(sessions)
    with pytest.raises(hsds.HsdsError) as raised:
        import_(sessions, paths)
    assert snapshot(sessions) == before
    return "\n".join(raised.value.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_is_a_valid_hsds_publication_in_that_language(
        exported, validators, catalogue, lang):
    document = read(exported[lang])
    assert document["x-wegwijzer"]["language"] == lang
    services = 0
    for organisation in document["contents"]:
        assert not list(validators["organization"].iter_errors(organisation))
        for record in organisation["services"]:
            assert not list(validators["service"].iter_errors(record))
            page = catalogue.service(record["x-wegwijzer"]["slug"], lang)
            assert (record["name"], record["x-wegwijzer"]["text_language"]) == (page.name,
                                                                               page.lang)
            [domain] = [attribute["taxonomy_term"] for attribute in record["attributes"]
                        if attribute["taxonomy_term"]["taxonomy"] == "Wegwijzer domains"]
            assert (domain["code"], domain["language"]) == (page.domain, lang)
            services += 1
    with catalogue.sessions() as session:
        assert services == len(hsds.read_catalogue(session)[1])  # retired ones too


def test_ids_are_uuids_derived_from_the_slugs(exported):
    ids = {lang: {record["x-wegwijzer"]["slug"]: record["id"]
                  for organisation in read(path)["contents"]
                  for record in organisation["services"]}
           for lang, path in exported.items()}
    assert all(found == ids["nl"] for found in ids.values())
    for slug, service_id in ids["nl"].items():
        assert uuid.UUID(service_id).version == 5
        assert service_id == hsds.hsds_id("service", slug)


def test_a_service_without_text_in_a_language_falls_back_as_the_kiosk_does(catalogue):
    with catalogue.sessions() as session:
        organisations, services = hsds.read_catalogue(session)
    wonen = next(service for service in services if service["slug"] == "caw-wonen")
    del wonen["texts"]["fr"]
    document = hsds.publication(organisations, services, "fr")
    record = service_record(document, "caw-wonen")
    assert record["name"] == wonen["texts"]["en"]["name"]
    assert record["x-wegwijzer"]["text_language"] == "en"
    assert "fr" not in [language["code"] for language in record["languages"]]
    # Read back, the fallback text is the English text, not a French one.
    _, read_back = hsds.read_publications({"hsds-fr.json": document}, None)
    assert next(s for s in read_back if s["slug"] == "caw-wonen")["texts"] == {
        "en": wonen["texts"]["en"]}


def test_export_then_import_into_an_empty_database_then_export_gives_the_same(
        exported, empty_db, catalogue, tmp_path):
    import_(empty_db, exported.values())
    with empty_db() as session:
        again = hsds.export_files(session, tmp_path / "again", hsds.schema_validators())
    assert {path.name: path.read_bytes() for path in again} == {
        path.name: path.read_bytes() for path in exported.values()}

    with catalogue.sessions() as session:
        organisations, services = hsds.read_catalogue(session)
    with empty_db() as session:
        organisations_back, services_back = hsds.read_catalogue(session)
    assert organisations_back == organisations
    for service in services:  # times travel in milliseconds
        service["updated_at"] = service["updated_at"].replace(
            microsecond=service["updated_at"].microsecond // 1000 * 1000)
    assert services_back == services
    assert sum(set(service["texts"]) == set(LANGUAGES) for service in services_back) >= 36


def test_retired_services_and_last_checked_dates_come_back(catalogue):
    with catalogue.sessions() as session:
        organisations, services = hsds.read_catalogue(session)
    services[0]["retired"] = True
    services[1]["last_checked"] = date(2025, 3, 1)
    documents = {f"{lang}.json": hsds.publication(organisations, services, lang)
                 for lang in LANGUAGES}
    assert service_record(documents["nl.json"], services[0]["slug"])["status"] == "defunct"
    _, read_back = hsds.read_publications(documents, hsds.schema_validators())
    assert [(s["retired"], s["last_checked"]) for s in read_back[:2]] == [
        (True, None), (False, date(2025, 3, 1))]


def test_importing_the_same_files_again_changes_nothing(exported, empty_db):
    import_(empty_db, exported.values())
    before = snapshot(empty_db)
    assert import_(empty_db, exported.values()).changed == 0
    assert snapshot(empty_db) == before


def test_a_file_that_is_not_json_is_named(exported, empty_db, tmp_path):
    broken = tmp_path / "hsds-fr.json"
    broken.write_text(exported["fr"].read_text("utf-8")[:500], "utf-8")
    problems = problems_of(empty_db, [exported["nl"], broken])
    assert f"{broken}: not JSON: " in problems


def test_a_schema_error_names_the_file_the_item_and_the_field(
        exported, validators, empty_db, tmp_path):
    document = read(exported["fr"])
    service_record(document, "caw-wonen")["status"] = "open"
    service_record(document, "cvo-nederlands")["languages"][0]["id"] = "not-a-uuid"
    path = write(tmp_path / "hsds-fr.json", document)
    problems = problems_of(empty_db, [exported["nl"], exported["en"], path])
    assert f"{path}: contents[" in problems
    assert "(service 'caw-wonen'): status: 'open' is not one of" in problems
    assert "(service 'cvo-nederlands'): languages[0].id: 'not-a-uuid' is not a 'uuid'" in problems


def test_wegwijzer_fields_are_checked_with_or_without_the_schemas(
        exported, empty_db, tmp_path, monkeypatch):
    monkeypatch.setattr(hsds, "schema_validators", lambda *args: None)
    document = read(exported["en"])
    wonen = service_record(document, "caw-wonen")
    wonen["x-wegwijzer"]["keywords"] = "housing, home"
    wonen["attributes"][0]["taxonomy_term"]["code"] = "housing"
    library = service_record(document, "gevangenisbibliotheek")
    library["id"] = hsds.hsds_id("service", "another-service")
    del library["x-wegwijzer"]["answer_days"]
    path = write(tmp_path / "hsds-en.json", document)
    problems = problems_of(empty_db, [exported["nl"], path])
    assert "(service 'caw-wonen'): x-wegwijzer.keywords: must be a list of texts" in problems
    assert "(service 'caw-wonen'): attributes: 'housing' is not a term of" in problems
    assert "(service 'gevangenisbibliotheek'): id: " in problems
    assert "(service 'gevangenisbibliotheek'): x-wegwijzer.answer_days: must be" in problems


def test_files_that_disagree_are_refused(exported, empty_db, tmp_path):
    days = service_record(read(exported["nl"]), "caw-wonen")["x-wegwijzer"]["answer_days"]
    document = read(exported["en"])
    service_record(document, "caw-wonen")["x-wegwijzer"]["answer_days"] = days + 1
    path = write(tmp_path / "hsds-en.json", document)
    problems = problems_of(empty_db, [exported["nl"], path])
    assert (f"service 'caw-wonen': answer_days is {days} in {exported['nl']} "
            f"but {days + 1} in {path}") in problems


def test_one_wrong_file_leaves_the_whole_catalogue_unchanged(exported, empty_db, tmp_path):
    import_(empty_db, exported.values())
    renamed = read(exported["fr"])
    service_record(renamed, "caw-wonen")["name"] = "Un logement après la prison"
    broken = read(exported["ar"])
    del service_record(broken, "caw-ifg")["x-wegwijzer"]
    files = [write(tmp_path / "hsds-fr.json", renamed), write(tmp_path / "hsds-ar.json", broken)]
    problems = problems_of(empty_db, files)
    assert "hsds-ar.json: contents[" in problems
    assert "x-wegwijzer: missing: not a Wegwijzer publication?" in problems
    # The valid file alone is imported, with a version staff can undo.
    assert import_(empty_db, files[:1]).changed == 1
    with empty_db() as session:
        notes = session.scalars(select(ServiceVersion.note).join(ServiceVersion.service)
                                .where(Service.slug == "caw-wonen")
                                .order_by(ServiceVersion.number)).all()
    assert notes == [hsds.IMPORT_NOTE, hsds.IMPORT_NOTE]


def test_a_new_service_needs_a_dutch_or_english_text(exported, empty_db):
    problems = problems_of(empty_db, [exported["fr"]])
    assert "service 'caw-wonen': no text in nl or en, in the files or in the database" in problems


def test_the_export_and_import_commands(data_dir, exported, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WEGWIJZER_DATA", str(data_dir))
    assert main(["catalogue", "export", "--format", "hsds", "--output",
                 str(tmp_path / "out")]) == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(
        path.name for path in exported.values())

    monkeypatch.setenv("WEGWIJZER_DATA", str(tmp_path / "new"))
    files = [str(path) for path in sorted((tmp_path / "out").iterdir())]
    assert main(["catalogue", "import", *files]) == 0
    assert "Catalogue imported: " in capsys.readouterr().out

    broken = read(exported["nl"])
    broken["contents"] = "nothing"
    assert main(["catalogue", "import", str(write(tmp_path / "x.json", broken))]) == 1
    error = capsys.readouterr().err
    assert "nothing imported; 1 problem(s)" in error
    assert "x.json: contents: 'nothing' is not of type 'array'" in error
