"""Migrations build the schema from empty, match the models, and go down and up again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from aggregator.storage.db import make_engine
from aggregator.storage.migrate import (
    current_revision,
    downgrade,
    head_revision,
    schema_diff,
    upgrade,
)
from aggregator.storage.models import Base
from aggregator.storage.views import VIEW_NAMES


def test_upgrade_from_empty_matches_models(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert schema_diff(engine) == []  # the `alembic check` equivalent
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    views = set(inspect(engine).get_view_names())
    assert set(VIEW_NAMES) <= views
    engine.dispose()


def test_upgrade_is_idempotent_and_reversible(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    downgrade(engine, "base")
    assert not set(Base.metadata.tables) & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert schema_diff(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM v_articles")).scalar() == 0
    engine.dispose()


def test_models_and_migration_agree_on_drift(db_url: str) -> None:
    """The check is not vacuous: a table missing from the database is reported."""
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE failed_items"))
    assert any("failed_items" in str(diff) for diff in schema_diff(engine))
    engine.dispose()
