"""PostgreSQL revision 0003: the full-text index in `article_search`, kept by triggers."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import Engine, inspect, text

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import downgrade, schema_diff, upgrade
from aggregator.storage.repository import upsert_articles
from aggregator.storage.search import SearchFilters, search_articles
from aggregator.storage.search_table import SEARCH_TABLE
from tests.storage.factories import item

pytestmark = pytest.mark.postgres


@pytest.fixture
def db_url(pg_url: str) -> str:
    """PostgreSQL only: the shared `engine` fixture (tests/storage/dbs.py) migrates it."""
    return pg_url


def _urls(engine: Engine, query: str, **filters: str) -> list[str]:
    with session_factory(engine, readonly=True)() as session:
        return [h.url for h in search_articles(session, query, SearchFilters(**filters))]


def _store(engine: Engine, *items: object) -> None:
    with session_factory(engine).begin() as session:
        upsert_articles(session, list(items))  # type: ignore[arg-type]


def test_a_database_filled_at_0002_keeps_its_vectors(pg_url: str) -> None:
    """The upgrade copies the stored vectors (no recomputation) and drops the column."""
    engine = make_engine(pg_url)
    upgrade(engine, "0002")
    _store(engine, item(1, title="Nelayan pulang", body="Perahu kembali ke pantai. " * 5))
    with engine.connect() as conn:
        before = conn.execute(text("SELECT search_vector::text FROM articles")).scalar_one()
    upgrade(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("articles")}
    assert "search_vector" not in columns
    with engine.connect() as conn:
        after = conn.execute(text(f"SELECT search_vector::text FROM {SEARCH_TABLE}")).scalar_one()
    assert after == before
    assert _urls(engine, "perahu") == [item(1).url]
    assert schema_diff(engine) == []
    downgrade(engine, "0002")  # the generated column again, recomputed
    assert SEARCH_TABLE not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        again = conn.execute(text("SELECT search_vector::text FROM articles")).scalar_one()
    assert again == before
    engine.dispose()


def test_rows_written_by_plain_sql_are_indexed(engine: Engine) -> None:
    """The triggers index any writer's rows, not only our upserts."""
    _store(engine, item(1))
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO articles (url, source, title, body, authors, editors, credit_codes,"
            " tags, is_cluster_origin, page_count, fetched_at, first_seen_at, last_seen_at,"
            " updated_at, revision_count) SELECT 'https://x.id/' || n, 's1', 'Judul',"
            " 'Gempa mengguncang Lombok ' || n, '[]', '[]', '[]', '[]', false, 1, now(),"
            " now(), now(), now(), 0 FROM generate_series(1, 3) AS n"
        ))  # fmt: skip
    assert sorted(_urls(engine, "lombok")) == [f"https://x.id/{n}" for n in (1, 2, 3)]
    assert _urls(engine, "lombok", source="other") == []


def test_an_update_reindexes_only_changed_text(engine: Engine) -> None:
    _store(engine, item(1, title="Banjir Jakarta", body="Air naik di Kampung Melayu. " * 5))
    xmin = text(f"SELECT xmin::text FROM {SEARCH_TABLE}")
    with engine.begin() as conn:
        first = conn.execute(xmin).scalar_one()
        conn.execute(text("UPDATE articles SET last_seen_at = now()"))
        assert conn.execute(xmin).scalar_one() == first  # same text: row untouched
        conn.execute(text("UPDATE articles SET body = 'Kemarau panjang di Gunungkidul.'"))
    assert _urls(engine, "kemarau") == [item(1).url]
    assert _urls(engine, "melayu") == []
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (name, first_seen_at) VALUES ('moved', now())"))
        conn.execute(text("UPDATE articles SET source = 'moved'"))
    assert _urls(engine, "kemarau", source="moved") == [item(1).url]


def test_deleting_an_article_removes_its_vector(engine: Engine) -> None:
    _store(engine, item(1), item(2))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM articles WHERE url = :u"), {"u": item(1).url})
        count = conn.execute(text(f"SELECT count(*) FROM {SEARCH_TABLE}")).scalar_one()
    assert count == 1


def test_a_writer_with_another_search_path_is_indexed(engine: Engine, pg_url: str) -> None:
    """The trigger function finds its schema's tables whatever the session's search_path."""
    _store(engine, item(1))
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    admin = pg_url.split("?")[0]
    with psycopg.connect(admin, autocommit=True) as raw:
        raw.execute("SET search_path = public")
        raw.execute(
            f'INSERT INTO "{schema}".articles (url, source, title, body, authors, editors,'
            " credit_codes, tags, is_cluster_origin, page_count, fetched_at, first_seen_at,"
            " last_seen_at, updated_at, revision_count) VALUES ('https://y.id/1', 's1',"
            " 'Panen raya', 'Sawah terasering Jatiluwih dipanen.', '[]', '[]', '[]', '[]',"
            " false, 1, now(), now(), now(), now(), 0)"
        )
    assert _urls(engine, "jatiluwih") == ["https://y.id/1"]
    assert _urls(engine, "jatiluwih", source="s1") == ["https://y.id/1"]
