"""The schema comes from the Alembic migrations, on SQLite and on PostgreSQL: upgrade from
empty, the result matches the models, one step down and up again, and the queue works."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import OperationalError

import kiosk.models  # noqa: F401  (registers the kiosk's tables)
from kiosk import accounts, queue
from knowledge.content import load_catalogue
from wegwijzer.config import CATALOGUE_DIR
from wegwijzer.database import Base, downgrade, make_engine, make_sessionmaker, upgrade

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
KIOSK_TABLES = {"detainee", "staff_user", "sign_in_session", "help_request", "request_event",
                "audit_entry"}


def postgres_database():
    """A new, empty database on the local PostgreSQL server, dropped afterwards."""
    name = f"wegwijzer_test_{uuid.uuid4().hex[:8]}"
    server = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        pytest.skip(f"no PostgreSQL server on 127.0.0.1:5432 ({error.orig})")
    yield f"{POSTGRES}/{name}"
    with server.connect() as connection:
        connection.execute(text(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        connection.execute(text(f'DROP DATABASE "{name}"'))
    server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wegwijzer.db'}"
    else:
        yield from postgres_database()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def differences(url: str) -> list:
    """What the database lacks or has beyond the models."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()


def revision(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_upgrade_from_empty_matches_the_models_and_goes_one_step_down(database_url):
    upgrade(database_url)
    assert differences(database_url) == []
    assert KIOSK_TABLES <= tables(database_url)
    head = revision(database_url)

    downgrade(database_url, "-1")
    assert revision(database_url) == f"{int(head) - 1:04d}"
    assert differences(database_url)  # the last step's tables and columns are gone
    upgrade(database_url)
    assert revision(database_url) == head
    assert differences(database_url) == []


def test_the_queue_works_on_the_migrated_schema(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        load_catalogue(db, CATALOGUE_DIR)
        staff = accounts.create_staff(db, "fo", "a long password", "frontoffice")
        person = accounts.create_detainee(db, "1001", "1234", lang="fr")
        db.commit()
        new = queue.NewRequest("Je cherche un logement", "fr", "caw-wonen", consent=True,
                               submission_key="k1")
        filed = queue.file_request(db, person, new)
        assert queue.file_request(db, person, new).id == filed.id
        queue.act(db, filed, staff, "triage")
        queue.act(db, filed, staff, "route", service_slug="ocmw-sociaal-huis")
        assert [event.kind for event in filed.events] == ["filed", "state", "routed"]
    with sessions() as db:
        stored = db.scalar(select(kiosk.models.HelpRequest))
        assert (stored.state, stored.service.slug) == ("triaged", "ocmw-sociaal-huis")
    engine.dispose()
