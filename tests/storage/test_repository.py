"""upsert_articles on both databases: idempotent, revisions, aliases, authors and tags."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.hashing import item_hash
from aggregator.storage.migrate import upgrade
from aggregator.storage.models import (
    Article,
    ArticleAlias,
    ArticleAuthor,
    ArticleRevision,
    ArticleTag,
    Author,
    Source,
    Tag,
)
from aggregator.storage.repository import UpsertResult, _first_by_hash, upsert_articles
from tests.storage.factories import T0, item


def _upsert(sessions: sessionmaker[Session], items: list) -> UpsertResult:  # type: ignore[type-arg]
    with sessions.begin() as session:
        return upsert_articles(session, items)


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_insert_then_rerun_is_a_no_op(sessions: sessionmaker[Session]) -> None:
    items = [item(n) for n in range(30)]
    first = _upsert(sessions, items)
    assert (first.inserted, first.updated, first.unchanged) == (30, 0, 0)
    second = _upsert(sessions, [item(n) for n in range(30)])
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 30)
    assert second.article_ids == first.article_ids
    assert _count(sessions, Article) == 30
    assert _count(sessions, Source) == 3
    assert _count(sessions, ArticleRevision) == 0


def test_fields_round_trip(sessions: sessionmaker[Session]) -> None:
    wib = dt.timezone(dt.timedelta(hours=7))
    one = item(1, published_at=dt.datetime(2026, 1, 20, 18, 33, tzinfo=wib),
               editors=["Tiar"], credit_codes=["wk/tiar"], wire_source="Antara",
               section="Nasional", language="id", page_count=2, published_raw="Senin, 20 "
               "Januari 2026 18:33 WIB", published_source="meta")  # fmt: skip
    _upsert(sessions, [one])
    with sessions() as session:
        row = session.scalars(select(Article)).one()
    assert row.published_at == dt.datetime(2026, 1, 20, 11, 33, tzinfo=dt.UTC)
    assert (row.editors, row.credit_codes, row.wire_source) == (["Tiar"], ["wk/tiar"], "Antara")
    assert (row.page_count, row.published_source, row.title) == (2, "meta", one.title)
    assert row.first_seen_at.tzinfo is not None
    assert row.content_hash


def test_changed_article_is_updated_with_a_revision(sessions: sessionmaker[Session]) -> None:
    _upsert(sessions, [item(1)])
    result = _upsert(sessions, [item(1, title="Judul diralat", body="Isi baru yang diralat.")])
    assert (result.updated, result.changed_ids) == (1, result.article_ids)
    _upsert(sessions, [item(1, title="Ralat kedua", body="Isi ketiga.")])
    with sessions() as session:
        art = session.scalars(select(Article)).one()
        revs = session.scalars(select(ArticleRevision).order_by(ArticleRevision.revision)).all()
    assert (art.title, art.revision_count) == ("Ralat kedua", 2)
    assert [(r.revision, r.title) for r in revs] == [(1, "Judul berita 1"), (2, "Judul diralat")]
    assert revs[0].body == item(1).body


def test_same_body_other_url_becomes_alias(sessions: sessionmaker[Session]) -> None:
    _upsert(sessions, [item(1)])
    copy = item(1, url="https://berita1.example.id/amp/read/1")
    result = _upsert(sessions, [copy])
    assert (result.inserted, result.aliased) == (0, 1)
    assert _count(sessions, Article) == 1
    with sessions() as session:
        aliases = session.scalars(select(ArticleAlias.url)).all()
    assert aliases == [copy.url]
    # Reaching the article again through its alias resolves to the same row.
    again = _upsert(sessions, [item(1, url=copy.url, body="Isi yang berubah sama sekali.")])
    assert (again.inserted, again.updated) == (0, 1)
    assert _count(sessions, Article) == 1


@pytest.mark.parametrize(
    ("words", "same_batch", "articles"),
    [(5, False, 2), (5, True, 2), (19, False, 2), (20, False, 1), (20, True, 1)],
)
def test_short_same_body_is_not_an_alias(sessions: sessionmaker[Session], words: int,
                                         same_batch: bool, articles: int) -> None:  # fmt: skip
    caption = " ".join(["Foto"] + ["banjir"] * (words - 1))  # e.g. a repeated photo caption
    first = item(1, body=caption)
    second = item(1, url="https://berita1.example.id/foto/2", title="Galeri lain", body=caption)
    if same_batch:
        _upsert(sessions, [first, second])
    else:
        _upsert(sessions, [first])
        _upsert(sessions, [second])
    assert _count(sessions, Article) == articles
    assert _count(sessions, ArticleAlias) == 2 - articles


def test_same_body_other_source_is_a_separate_article(sessions: sessionmaker[Session]) -> None:
    _upsert(sessions, [item(1), item(1, url="https://lain.example.id/1", source="lain")])
    assert _count(sessions, Article) == 2


def test_item_aliases_and_in_batch_duplicates(sessions: sessionmaker[Session]) -> None:
    a = item(1, aliases=["https://berita1.example.id/read/1?utm_source=x"])
    b = item(1, aliases=["https://m.berita1.example.id/read/1"])  # same URL again
    result = _upsert(sessions, [a, b, item(2)])
    assert (result.inserted, result.collapsed) == (2, 1)
    with sessions() as session:
        aliases = set(session.scalars(select(ArticleAlias.url)))
    assert aliases == {a.aliases[0], b.aliases[0]}


def test_authors_and_tags_are_rows(sessions: sessionmaker[Session]) -> None:
    _upsert(sessions, [item(1, authors=["Budi Santoso", "ANI  Lestari"], tags=["Banjir"]),
                       item(2, authors=["budi santoso"], tags=["banjir", "Jakarta"])])  # fmt: skip
    assert _count(sessions, Author) == 2  # case and spacing folded
    assert _count(sessions, Tag) == 2
    assert _count(sessions, ArticleAuthor) == 3
    _upsert(sessions, [item(1, authors=["Citra"], tags=[], body="Isi baru.")])
    with sessions() as session:
        names = session.scalars(
            select(Author.name).join(ArticleAuthor).join(Article).where(Article.url == item(1).url)
        ).all()
    assert names == ["Citra"]
    assert _count(sessions, ArticleTag) == 2


@pytest.mark.parametrize(
    "evil",
    ["' OR 1=1 --", '"; DROP TABLE articles; --', "%", "_", "\\", "x" * 5000, "Robert'); --"],
)
def test_hostile_strings_are_stored_verbatim(sessions: sessionmaker[Session], evil: str) -> None:
    _upsert(sessions, [item(1, title=evil, authors=[evil[:200]], tags=[evil[:100]])])
    with sessions() as session:
        assert session.scalar(select(Article.title)) == evil
    assert _count(sessions, Article) == 1


def test_items_need_url_and_source(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(ValueError, match="url and a source"):
        _upsert(sessions, [item(1, url="")])


def test_first_seen_stays_and_last_seen_moves(sessions: sessionmaker[Session]) -> None:
    _upsert(sessions, [item(1)])
    with sessions() as session:
        first = session.execute(select(Article.first_seen_at, Article.last_seen_at)).one()
    _upsert(sessions, [item(1)])
    with sessions() as session:
        second = session.execute(select(Article.first_seen_at, Article.last_seen_at)).one()
    assert second[0] == first[0]
    assert second[1] >= first[1] > T0


def test_same_body_lookup_probes_the_index_on_stale_statistics(pg_url: str) -> None:
    """PostgreSQL: statistics taken on an empty table must not turn the lookup into a scan.

    With `content_hash IN (...)` the planner, believing the table tiny, read every row
    of it for each batch (0.5 s a batch at 30k articles)."""
    engine = make_engine(pg_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE articles")  # statistics of the empty table
    items = [item(n) for n in range(3000)]
    for lo in range(0, len(items), 500):
        _upsert(session_factory(engine), items[lo : lo + 500])
    pairs = sorted({(i.source, item_hash(i) or "") for i in items[:300]})
    with session_factory(engine)() as session:
        stmt, params = _first_by_hash(session, pairs)
        plan = session.execute(text("EXPLAIN " + stmt.text), params).scalars().all()
    assert not any("Seq Scan on articles" in line for line in plan), plan
    assert any("articles" in line and "Index" in line for line in plan), plan
    engine.dispose()
