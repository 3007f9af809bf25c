"""Migrations build the schema from empty, match the models, and go down and up again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.fts import FTS5_MERGE_SETTINGS, FTS_TABLE
from aggregator.storage.migrate import (
    current_revision,
    downgrade,
    head_revision,
    schema_diff,
    upgrade,
)
from aggregator.storage.models import Base
from aggregator.storage.repository import upsert_articles
from aggregator.storage.search import search_articles
from aggregator.storage.views import VIEW_NAMES
from tests.storage.factories import item as make_item


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


def _fts5_config(engine: Any) -> dict[str, int]:
    """FTS5's persistent settings (its `_config` shadow table)."""
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT k, v FROM {FTS_TABLE}_config"))
        return {str(k): int(v) for k, v in rows if k in FTS5_MERGE_SETTINGS}


def test_revision_0002_keeps_rows_and_moves_the_hash_index(db_url: str) -> None:
    """A database filled at 0001 upgrades in place: rows kept, the hash index led by the hash."""
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    with session_factory(engine).begin() as session:
        upsert_articles(session, [make_item(1, title="Nelayan pulang")])
    upgrade(engine)
    indexes = inspect(engine).get_indexes("articles")
    index_columns = {ix["name"]: ix["column_names"] for ix in indexes}
    assert index_columns.get("ix_articles_content_hash_source") == ["content_hash", "source"]
    assert "ix_articles_source_content_hash" not in index_columns
    with session_factory(engine, readonly=True)() as session:
        assert [h.url for h in search_articles(session, "nelayan")] == [make_item(1).url]
    if engine.dialect.name == "sqlite":
        assert _fts5_config(engine) == FTS5_MERGE_SETTINGS
        downgrade(engine, "0001")
        assert _fts5_config(engine) == {"automerge": 4, "crisismerge": 16}
    else:
        downgrade(engine, "0001")
    index_names = {ix["name"] for ix in inspect(engine).get_indexes("articles")}
    assert "ix_articles_source_content_hash" in index_names
    engine.dispose()


def test_revision_0002_postgresql_storage_settings(pg_url: str) -> None:
    """The tsvector is stored out of line uncompressed; bodies use lz4 where the server has it."""
    engine = make_engine(pg_url)
    upgrade(engine, "0002")  # 0003 moves the vector to its own table (checked below)
    attr = text(
        "SELECT attname, attstorage, attcompression FROM pg_attribute"
        " WHERE attrelid = 'articles'::regclass AND attname IN ('body', 'search_vector')"
    )
    lz4 = text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
               " WHERE name = 'default_toast_compression'")  # fmt: skip
    with engine.connect() as conn:
        has_lz4 = bool(conn.execute(lz4).scalar())
        settings = {row.attname: row for row in conn.execute(attr)}
    assert settings["search_vector"].attstorage == "e"
    assert settings["body"].attcompression == ("l" if has_lz4 else "")
    downgrade(engine, "0001")
    with engine.connect() as conn:
        settings = {row.attname: row for row in conn.execute(attr)}
    assert settings["search_vector"].attstorage == "x"
    assert settings["body"].attcompression in ("p", "")
    engine.dispose()


def test_sqlite_upgrade_from_empty_is_one_transaction(sqlite_url: str) -> None:
    """Every migration commits together: a second process opening the file meanwhile
    waits, then reads the head revision, instead of seeing a revision between two
    migrations and running the next one again."""
    from sqlalchemy import event

    engine = make_engine(sqlite_url)
    commits: list[int] = []
    event.listen(engine, "commit", lambda conn: commits.append(1))
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert len(commits) == 1
    engine.dispose()
