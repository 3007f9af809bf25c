"""Alembic, driven from our code: upgrade to head, report the revision, compare models."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from aggregator.storage import models
from aggregator.storage.db import BEGIN_OPTION, storage_errors
from aggregator.storage.fts import SKIP_PREFIXES

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: PostgreSQL advisory lock held while migrating, so concurrent upgrades queue up.
MIGRATION_LOCK_KEY = 0x61676D67


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations, optionally bound to a connection."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Hide the full-text objects and dialect internals from autogenerate and checks."""
    if name and name.startswith(SKIP_PREFIXES):
        return False
    return not (type_ == "table" and name in {"sqlite_sequence", "alembic_version"})


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision`; safe to run from several processes at once."""
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` ("base" empties it)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, action: Any, revision: str) -> None:
    """Run an Alembic command on one connection, under a lock on PostgreSQL and in one
    write transaction on SQLite."""
    with storage_errors(engine.url), engine.connect() as conn:
        conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()
        else:
            # BEGIN IMMEDIATE now, so Alembic runs inside it.  Left to itself Alembic
            # commits after each migration on SQLite; between two, another process could
            # read the version table and start on a migration this one was about to run
            # ("duplicate column name", seen with four writers opening a new file at once).
            conn.begin()
        try:
            action(alembic_config(conn), revision)
            conn.commit()
        finally:
            if conn.dialect.name == "postgresql":
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with storage_errors(engine.url), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the models and the database (empty when they agree)."""
    with storage_errors(engine.url), engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        return list(compare_metadata(ctx, models.Base.metadata))


def ensure_schema(engine: Engine) -> None:
    """Bring a database to head (creating it when empty); used before a crawl writes."""
    upgrade(engine)
