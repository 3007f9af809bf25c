"""Alembic environment: our models' metadata, batch mode for SQLite, our engine setup."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from aggregator.storage import models
from aggregator.storage.db import make_engine
from aggregator.storage.migrate import include_object

config = context.config
target_metadata = models.Base.metadata


def _run(connection: Connection) -> None:
    """Run the migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite has almost no ALTER: use move-and-copy
        include_object=include_object,
        compare_type=True,
        user_module_prefix="aggregator.storage.db.",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection handed over by `aggregator.storage.migrate`, or open one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: use `aggregator db upgrade --db URL`")
    with make_engine(url).connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) mode is not supported")
run_migrations_online()
