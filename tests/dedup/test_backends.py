"""Clustering and incremental state on both backends, on the migrated schema (SQLite, PG)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from aggregator.dedup.clusters import assign_clusters
from aggregator.incremental.state import FetchRecord, IncrementalStore
from aggregator.storage.models import ArticleAlias
from tests.dedup.conftest import T0, add_article, make_text
from tests.dedup.test_clusters import _edit
from tests.storage.dbs import db_url, engine, pg_url, sessions, sqlite_url

__all__ = ["db_url", "engine", "pg_url", "sessions", "sqlite_url"]

H = dt.timedelta(hours=1)


def test_clusters_on_migrated_schema(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        a = add_article(s, "https://a.com/1", make_text(21), published_at=T0 + H)
        other = add_article(s, "https://a.com/2", make_text(22))
        assert assign_clusters(s, [a, other]) == {a: a, other: other}
    with sessions.begin() as s:  # another session: the LSH index is read back
        b = add_article(s, "https://b.com/1", _edit(make_text(21)), source="b", published_at=T0)
        out = assign_clusters(s, [b])
    assert out == {b: b}
    with sessions() as s:
        assert assign_clusters(s, [a]) == {a: b}
        s.rollback()


def test_incremental_store_round_trip(sessions: sessionmaker[Session]) -> None:
    url = "https://news.detik.com/berita/d-1/banjir"
    with sessions.begin() as s:
        art = add_article(s, url, "isi", source="detik")
        s.add(ArticleAlias(url="https://m.detik.com/news/d-1", article_id=art, first_seen_at=T0))
    engine = sessions.kw["bind"]
    store = IncrementalStore(engine)
    assert store.ready()
    store.record(FetchRecord(key="https://news.detik.com/rss", kind="feed", fetched_at=T0,
                             status=200, etag='"e1"', last_modified="Mon, 19 Jan 2026 00:00 GMT"))
    store.record(FetchRecord(key=url, kind="article", fetched_at=T0 + H, status=200,
                             lastmod_seen=T0 + 2 * H))
    store.record_watermark("detik", "https://news.detik.com/indeks", url, T0)
    assert store.flush(watermarks=True) == 3
    found = store.validators("https://news.detik.com/rss")
    assert found is not None
    assert (found.etag, found.last_modified) == ('"e1"', "Mon, 19 Jan 2026 00:00 GMT")
    stored = store.stored_article(url + "?utm_source=x")
    assert stored is not None
    assert (stored.article_id, stored.last_fetched_at, stored.lastmod_seen) == (
        art, T0 + H, T0 + 2 * H)
    assert store.stored_article("https://m.detik.com/news/d-1") is not None
    assert store.stored_article("https://news.detik.com/berita/d-2/x") is None
    assert store.known_urls([url, "https://m.detik.com/news/d-1", "https://x.com/a"]) == {
        url, "https://m.detik.com/news/d-1"}
    assert store.watermark("detik", "https://news.detik.com/indeks") == (url, T0)
    # a 304 later keeps the validators and counts the hit
    store.record(FetchRecord(key="https://news.detik.com/rss", kind="feed",
                             fetched_at=T0 + H, status=304, not_modified=True))
    store.flush()
    assert store.validators("https://news.detik.com/rss") == found
    engine.dispose()
