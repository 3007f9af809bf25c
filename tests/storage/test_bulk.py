"""Bulk inserts (SQLite multi-row VALUES, PostgreSQL unnest): every row lands, values as
SQLAlchemy stores them, any chunking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.storage import bulk
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import upgrade
from aggregator.storage.models import Article, ArticleTag, Source, Tag
from aggregator.storage.repository import upsert_articles
from tests.storage.factories import item


@pytest.fixture
def sqlite_sessions(sqlite_url: str) -> sessionmaker[Session]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    return session_factory(engine)


# From one row a statement (the article insert binds ~29 values a row) to all rows in one.
@pytest.mark.parametrize("max_params", [29, 60, 1000, 32766])
def test_every_row_is_inserted_and_returned_whatever_the_chunking(
    sqlite_sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, max_params: int
) -> None:
    monkeypatch.setattr(bulk, "_max_params", lambda _dbapi: max_params)
    items = [item(n) for n in range(75)]
    with sqlite_sessions.begin() as session:
        result = upsert_articles(session, items)
    assert result.inserted == 75
    with sqlite_sessions() as session:
        stored = {r.url: r.id for r in session.execute(select(Article.url, Article.id))}
        tags = session.execute(select(ArticleTag.article_id, ArticleTag.tag_id)).all()
    assert stored == result.ids_by_url
    assert len(tags) == sum(len(set(i.tags)) for i in items)


def test_values_match_the_orm_path(sqlite_sessions: sessionmaker[Session]) -> None:
    """Datetimes, JSON lists and booleans read back exactly as SQLAlchemy wrote them."""
    when = dt.datetime(2026, 1, 20, 3, 4, 5, 678901, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    one = item(1, published_at=when, authors=["Budi", "Sri Rahayu"], editors=[], tags=["a"])
    with sqlite_sessions.begin() as session:
        upsert_articles(session, [one])
        session.add(Source(name="orm", first_seen_at=when))
    with sqlite_sessions() as session:
        row = session.execute(select(Article)).scalar_one()
        orm_seen = session.execute(select(Source.first_seen_at).where(Source.name == "orm"))
        assert row.published_at == when.astimezone(dt.UTC)
        assert row.published_at.tzinfo == dt.UTC
        assert orm_seen.scalar_one() == when.astimezone(dt.UTC)
        assert (row.authors, row.editors, row.tags) == (["Budi", "Sri Rahayu"], [], ["a"])
        assert row.is_cluster_origin is False
        raw = session.connection().exec_driver_sql(
            "SELECT a.published_at, s.first_seen_at FROM articles a, sources s WHERE s.name = 'orm'"
        ).one()
        assert raw[0] == raw[1]  # one text format for both write paths
        assert session.execute(select(Tag.name)).scalars().all() == ["a"]


def test_repeated_and_distinct_values_in_one_batch_all_round_trip(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    """Conversions are cached per batch: equal values share one, distinct ones never do."""
    wib = dt.timezone(dt.timedelta(hours=7))
    base = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    items = []
    for n in range(40):
        # n % 4 == 0: the same instant written in WIB (an equal key, one conversion).
        when = base.astimezone(wib) if n % 4 == 0 else base + dt.timedelta(microseconds=n)
        items.append(item(n, published_at=when, page_count=1 + n % 2, tags=[f"t{n % 3}"]))
    with sqlite_sessions.begin() as session:
        upsert_articles(session, items)
    with sqlite_sessions() as session:
        rows = {r.url: r for r in session.execute(select(Article))
                .scalars()}  # fmt: skip
    for one in items:
        stored = rows[one.url]
        assert stored.published_at == one.published_at
        assert stored.published_at.tzinfo == dt.UTC
        assert (stored.page_count, stored.tags) == (one.page_count, one.tags)


def test_a_conversion_error_is_not_cached(sqlite_sessions: sessionmaker[Session]) -> None:
    """A naive datetime fails the batch every time it is seen, not only the first."""
    naive = dt.datetime(2026, 3, 1, 12, 0)
    for _ in range(2):
        with pytest.raises(TypeError, match="naive datetime"), sqlite_sessions.begin() as s:
            upsert_articles(s, [item(1, published_at=naive), item(2, published_at=naive)])


def test_empty_input_writes_nothing(sqlite_sessions: sessionmaker[Session]) -> None:
    with sqlite_sessions.begin() as session:
        assert bulk.insert_returning(session, Article.__table__, [], conflict="DO NOTHING",
                                     returning=("id",)) == []  # fmt: skip
        bulk.insert_plain(session, ArticleTag.__table__, ("article_id", "tag_id"), [])
    with sqlite_sessions() as session:
        assert session.execute(select(Article.id)).first() is None


def test_sqlite_without_returning_takes_the_executemany_path(
    sqlite_sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite before 3.35 has no RETURNING: the same upsert works without the bulk path."""
    monkeypatch.setattr(bulk, "RETURNING_SUPPORTED", False)
    monkeypatch.setattr(bulk, "insert_returning", _must_not_run)
    items = [item(n) for n in range(30)]
    with sqlite_sessions.begin() as session:
        result = upsert_articles(session, items)
    with sqlite_sessions() as session:
        stored = {r.url: r.id for r in session.execute(select(Article.url, Article.id))}
    assert result.inserted == 30
    assert stored == result.ids_by_url


def _must_not_run(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("insert_returning used without RETURNING support")


@pytest.mark.postgres
def test_postgresql_unnest_insert_stores_what_the_orm_would(pg_url: str) -> None:
    """One `unnest` statement: every type round-trips (NULLs, JSON, unicode, booleans),
    and a URL already stored is returned with its id and only `last_seen_at` moved."""
    engine = make_engine(pg_url)
    upgrade(engine)
    sessions = session_factory(engine)
    wita = dt.timezone(dt.timedelta(hours=8))
    items = [
        item(1, published_at=dt.datetime(2026, 2, 1, 9, 30, tzinfo=wita),
             authors=["Ni Luh Putu Ayu", "Sébastien"], tags=[], title="Kafe “baru” di Ubud"),
        item(2, published_at=None, description=None, authors=[], editors=["red"]),
    ]  # fmt: skip
    with sessions.begin() as session:
        first = upsert_articles(session, items)
    with sessions.begin() as session:
        again = upsert_articles(session, [item(3), items[0]])
    assert again.ids_by_url[items[0].url] == first.ids_by_url[items[0].url]
    with sessions() as session:
        rows = {a.url: a for a in session.execute(select(Article)).scalars()}
    one, two = rows[items[0].url], rows[items[1].url]
    assert one.published_at == dt.datetime(2026, 2, 1, 1, 30, tzinfo=dt.UTC)
    assert (one.title, one.authors, one.tags) == ("Kafe “baru” di Ubud",
                                                  ["Ni Luh Putu Ayu", "Sébastien"], [])  # fmt: skip
    assert (two.published_at, two.description, two.editors) == (None, None, ["red"])
    assert one.is_cluster_origin is False
    assert one.page_count == 1
    assert one.last_seen_at > one.first_seen_at  # seen again by the second batch
    assert len(rows) == 3
    engine.dispose()
