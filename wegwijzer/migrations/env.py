"""Alembic environment: runs the migrations against the URL in the Alembic config."""

from alembic import context
from sqlalchemy import engine_from_config, pool

import kiosk.models  # noqa: F401  (registers the kiosk's tables)
import knowledge.models  # noqa: F401  (registers the catalogue's tables)
from wegwijzer.database import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    config = context.config
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
