"""The catalogue content and its loading."""

import re
import shutil
import subprocess
import sys

from sqlalchemy import func, select

from knowledge import Catalogue
from knowledge.content import TEXT_FIELDS, load_catalogue
from knowledge.models import Service, ServiceText
from tests.conftest import environment, make_settings
from wegwijzer.config import CATALOGUE_DIR, REPO_ROOT
from wegwijzer.languages import LANGUAGES

REFERENCE = REPO_ROOT.parent / "shared" / "catalogue-reference.md"


def reference_slugs() -> set[str]:
    rows = re.findall(r"^\| ([a-z0-9-]+) \|", REFERENCE.read_text(), flags=re.MULTILINE)
    return set(rows) - {"slug"}


def counts(session):
    return (session.scalar(select(func.count(Service.id))),
            session.scalar(select(func.count(ServiceText.id))))


def test_loading_twice_changes_nothing(catalogue):
    with catalogue.sessions() as session:
        before = counts(session)
        report = load_catalogue(session, CATALOGUE_DIR)
        assert report.changed == 0
        assert counts(session) == before


def test_every_reference_slug_is_in_the_catalogue(catalogue):
    slugs = {document["slug"] for document in catalogue.index_documents()}
    assert len(reference_slugs()) == 36
    assert slugs == reference_slugs()


def test_every_service_is_written_in_all_seven_languages(catalogue):
    for document in catalogue.index_documents():
        assert sorted(document["texts"]) == sorted(LANGUAGES), document["slug"]
        for lang, text in document["texts"].items():
            assert all(text[field] for field in TEXT_FIELDS), (document["slug"], lang)


def test_a_changed_text_is_updated_and_reported(catalogue, tmp_path):
    folder = tmp_path / "catalogue"
    (folder / "services").mkdir(parents=True)
    (folder / "organisations.yml").write_text((CATALOGUE_DIR / "organisations.yml").read_text())
    source = (CATALOGUE_DIR / "services" / "caw-wonen.yml").read_text()
    edited = source.replace("keywords: [", "keywords: [studio, ", 1)
    assert edited != source
    (folder / "services" / "caw-wonen.yml").write_text(edited)
    with catalogue.sessions() as session:
        assert load_catalogue(session, folder).changed >= 1
        assert load_catalogue(session, folder).changed == 0
        # Put the original back for the other tests.
        (folder / "services" / "caw-wonen.yml").write_text(source)
        assert load_catalogue(session, folder).changed >= 1


def test_the_load_command_brings_changed_files_into_the_search(tmp_path):
    # As after an update of the catalogue files on a running Wegwijzer.
    settings = make_settings(tmp_path / "data")
    env = {**environment(settings), **settings.as_env()}
    command = [sys.executable, "-m", "wegwijzer", "catalogue", "load", "--folder"]
    folder = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE_DIR, folder)
    subprocess.run([*command, str(folder)], env=env, check=True, capture_output=True)
    service = folder / "services" / "caw-wonen.yml"
    service.write_text(service.read_text().replace("keywords: [", "keywords: [zwerfkei, ", 1))
    result = subprocess.run([*command, str(folder)], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Search index rebuilt." in result.stdout
    hits = Catalogue.from_settings(settings).search("zwerfkei", "nl")
    assert [hit.slug for hit in hits] == ["caw-wonen"]
