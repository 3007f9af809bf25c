"""IncrementalMiddleware hooks against a real SQLite database (no network)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.incremental.middleware import (
    IncrementalMiddleware,
    NotModified,
    PagingStopped,
    SkippedUnchanged,
)
from aggregator.incremental.state import IncrementalStore
from aggregator.storage.models import Article, ArticleAlias
from aggregator.storage.models_dedup import FetchState, SourceWatermark
from tests.dedup.conftest import add_article

NOW = dt.datetime(2026, 1, 20, 12, 0, tzinfo=dt.UTC)
OLD = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
ART = "https://news.detik.com/berita/d-1/banjir"
FEED = "https://news.detik.com/rss"


def _mw(engine: Engine) -> tuple[IncrementalMiddleware, Any]:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return IncrementalMiddleware(IncrementalStore(engine), crawler.stats, clock=lambda: NOW), (
        crawler.stats
    )


def _req(url: str, kind: str, **meta: Any) -> Request:
    return Request(url, meta={"aggregator_kind": kind, **meta})


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _seed(sessions: sessionmaker[Session]) -> int:
    with sessions.begin() as s:
        art = add_article(s, ART, "isi berita", source="detik", published_at=OLD,
                          first_seen_at=OLD)
        s.add(ArticleAlias(url="https://m.detik.com/news/berita/d-1/banjir", article_id=art,
                           first_seen_at=OLD))
        return art


def test_new_article_goes_through(engine: Engine, sessions: sessionmaker[Session]) -> None:
    mw, stats = _mw(engine)
    _seed(sessions)
    assert _run(mw.process_request(_req(ART.replace("d-1", "d-2"), "article"))) is None
    assert stats.get_value("incremental/fetch/new") == 1


@pytest.mark.parametrize(
    "url",
    [ART, ART + "?utm_source=rss", "http://news.detik.com/berita/d-1/banjir/amp",
     "https://m.detik.com/news/berita/d-1/banjir"],
)
def test_stored_article_skipped_by_any_variant(
    engine: Engine, sessions: sessionmaker[Session], url: str
) -> None:
    mw, stats = _mw(engine)
    _seed(sessions)
    with pytest.raises(SkippedUnchanged):
        _run(mw.process_request(_req(url, "article",
                                     aggregator_discovery={"published": OLD.isoformat()})))
    assert stats.get_value("incremental/skipped_unchanged") == 1


def test_newer_feed_date_refetches(engine: Engine, sessions: sessionmaker[Session]) -> None:
    mw, stats = _mw(engine)
    _seed(sessions)
    req = _req(ART, "article", aggregator_discovery={"lastmod": "2026-01-20T08:00:00Z"})
    assert _run(mw.process_request(req)) is None
    assert stats.get_value("incremental/fetch/changed") == 1
    # the 200 records the discovery date, so the same feed entry is not "newer" next time
    _run(mw.process_response(req, Response(ART, status=200)))
    mw.store.flush()
    with pytest.raises(SkippedUnchanged):
        _run(mw.process_request(_req(ART, "article", aggregator_discovery={
            "lastmod": "2026-01-20T08:00:00Z"})))


def test_skip_does_not_call_the_errback(engine: Engine, sessions: sessionmaker[Session]) -> None:
    mw, _ = _mw(engine)
    _seed(sessions)
    req = Request(ART, meta={"aggregator_kind": "article"}, errback=lambda f: None)
    with pytest.raises(SkippedUnchanged):
        _run(mw.process_request(req))
    assert req.errback is None
    kept = Request(ART.replace("d-1", "d-5"), meta={"aggregator_kind": "article"},
                   errback=lambda f: None)
    _run(mw.process_request(kept))
    assert kept.errback is not None


def test_article_304_records_the_entry_date(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    """A changed feed date answered by 304 is remembered: no conditional GET every run."""
    mw, stats = _mw(engine)
    _seed(sessions)
    newer = {"lastmod": "2026-01-20T08:00:00Z"}
    first = _req(ART, "article", aggregator_discovery=newer)
    _run(mw.process_request(first))
    _run(mw.process_response(first, Response(ART, status=200, headers={"ETag": '"a1"'})))
    mw.store.flush()
    newest = {"lastmod": "2026-01-20T09:00:00Z"}
    second = _req(ART, "article", aggregator_discovery=newest)
    _run(mw.process_request(second))
    assert second.headers[b"If-None-Match"] == b'"a1"'
    with pytest.raises(NotModified):
        _run(mw.process_response(second, Response(ART, status=304)))
    mw.store.flush()
    with pytest.raises(SkippedUnchanged):
        _run(mw.process_request(_req(ART, "article", aggregator_discovery=newest)))
    assert stats.get_value("incremental/fetch/changed") == 2


def _last_seen(sessions: sessionmaker[Session], article_id: int) -> dt.datetime:
    with sessions() as s:
        return s.scalars(select(Article.last_seen_at).where(Article.id == article_id)).one()


def test_skipped_article_is_still_seen(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """Skipping a stored article moves its last_seen_at as a refetch would (forward only)."""
    mw, _ = _mw(engine)
    art = _seed(sessions)
    for url in (ART, "https://m.detik.com/news/berita/d-1/banjir"):
        with pytest.raises(SkippedUnchanged):
            _run(mw.process_request(_req(url, "article")))
    assert _last_seen(sessions, art) == OLD  # buffered until the flush
    assert mw.store.flush() == 1
    assert _last_seen(sessions, art) == NOW
    mw.store.mark_seen(art, OLD)  # an older sighting never moves it back
    mw.store.flush()
    assert _last_seen(sessions, art) == NOW


def test_article_answered_304_is_still_seen(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    mw, _ = _mw(engine)
    art = _seed(sessions)
    newer = {"lastmod": "2026-01-20T08:00:00Z"}  # a newer feed date: a conditional GET
    first = _req(ART, "article", aggregator_discovery=newer)
    _run(mw.process_request(first))
    _run(mw.process_response(first, Response(ART, status=200, headers={"ETag": '"a1"'})))
    mw.store.flush()
    assert _last_seen(sessions, art) == OLD  # a 200 goes on to the store pipeline instead
    second = _req(ART, "article", aggregator_discovery={"lastmod": "2026-01-20T09:00:00Z"})
    _run(mw.process_request(second))
    with pytest.raises(NotModified):
        _run(mw.process_response(second, Response(ART, status=304)))
    mw.store.flush()
    assert _last_seen(sessions, art) == NOW


def test_force_bypasses(engine: Engine, sessions: sessionmaker[Session]) -> None:
    mw, _ = _mw(engine)
    _seed(sessions)
    assert _run(mw.process_request(_req(ART, "article", aggregator_force=True))) is None


def test_conditional_get_round_trip(engine: Engine, sessions: sessionmaker[Session]) -> None:
    mw, _ = _mw(engine)
    first = _req(FEED, "feed")
    assert _run(mw.process_request(first)) is None
    assert b"If-None-Match" not in first.headers
    headers = {"ETag": '"v1"', "Last-Modified": "Tue, 20 Jan 2026 10:00:00 GMT"}
    _run(mw.process_response(first, Response(FEED, status=200, headers=headers)))
    mw.spider_closed(None, "finished")

    mw2, stats2 = _mw(engine)
    second = _req(FEED + "?utm_source=x", "feed")
    _run(mw2.process_request(second))
    assert second.headers[b"If-None-Match"] == b'"v1"'
    assert second.headers[b"If-Modified-Since"] == b"Tue, 20 Jan 2026 10:00:00 GMT"
    with pytest.raises(NotModified):
        _run(mw2.process_response(second, Response(FEED, status=304)))
    assert stats2.get_value("incremental/not_modified") == 1
    mw2.store.flush()
    with sessions() as s:
        row = s.get_one(FetchState, FEED)
        assert (row.etag, row.not_modified_count, row.http_status) == ('"v1"', 1, 304)


def test_304_without_our_validators_passes(engine: Engine) -> None:
    mw, _ = _mw(engine)
    req = _req(FEED, "feed")
    resp = Response(FEED, status=304)
    assert _run(mw.process_response(req, resp)) is resp


def test_listing_pages_keep_their_page_number(engine: Engine) -> None:
    mw, _ = _mw(engine)
    for n in (1, 2):
        url = f"https://news.detik.com/indeks?page={n}"
        req = _req(url, "index")
        _run(mw.process_response(req, Response(url, status=200, headers={"ETag": f"p{n}"})))
    mw.store.flush()
    assert mw.store.validators("https://news.detik.com/indeks?page=2").etag == "p2"  # type: ignore[union-attr]


def test_other_kinds_untouched(engine: Engine) -> None:
    mw, _ = _mw(engine)
    req = Request("https://x.com/robots.txt")
    assert _run(mw.process_request(req)) is None
    resp = Response("https://x.com/robots.txt", status=200, headers={"ETag": "x"})
    assert _run(mw.process_response(req, resp)) is resp
    assert mw.store.pending() == 0


def _paging(page: int, urls: list[str], dates: list[str] | None = None) -> dict[str, Any]:
    return {"source": "detik", "index_url": "https://news.detik.com/indeks", "page": page,
            "page_urls": urls, "page_dates": dates or []}


def test_paging_stops_at_seen_articles(engine: Engine, sessions: sessionmaker[Session]) -> None:
    mw, stats = _mw(engine)
    _seed(sessions)
    fresh = ["https://news.detik.com/berita/d-9/a", "https://news.detik.com/berita/d-8/b"]
    nxt = "https://news.detik.com/indeks?page=2"
    assert _run(mw.process_request(_req(nxt, "index", aggregator_paging=_paging(2, fresh)))) is None
    with pytest.raises(PagingStopped):
        _run(mw.process_request(_req(nxt, "index", aggregator_paging=_paging(2, [ART]))))
    assert stats.get_value("incremental/paging_stopped") == 1


def test_watermark_written_on_clean_finish_and_used(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    _seed(sessions)
    page1 = ["https://news.detik.com/berita/d-9/a?utm_source=x", "https://news.detik.com/berita/d-8/b"]
    dates = ["2026-01-20T10:00:00+07:00", "2026-01-20T09:00:00+07:00"]
    nxt = "https://news.detik.com/indeks?page=2"
    mw, _ = _mw(engine)
    _run(mw.process_request(_req(nxt, "index", aggregator_paging=_paging(2, page1, dates))))
    mw.spider_closed(None, "shutdown")  # interrupted run: no watermark
    with sessions() as s:
        assert s.scalar(select(SourceWatermark.newest_url)) is None
    mw, _ = _mw(engine)
    _run(mw.process_request(_req(nxt, "index", aggregator_paging=_paging(2, page1, dates))))
    mw.spider_closed(None, "finished")
    with sessions() as s:
        row = s.execute(select(SourceWatermark)).scalar_one()
        assert row.newest_url == "https://news.detik.com/berita/d-9/a"
        assert row.newest_at == dt.datetime(2026, 1, 20, 3, tzinfo=dt.UTC)
    # next run: page 1 shows the watermark URL among new ones -> no page 2
    mw, _ = _mw(engine)
    with pytest.raises(PagingStopped):
        _run(mw.process_request(_req(nxt, "index", aggregator_paging=_paging(
            2, ["https://news.detik.com/berita/d-10/c", page1[0]]))))
    # an older dated page also stops paging
    with pytest.raises(PagingStopped):
        _run(mw.process_request(_req(nxt, "index", aggregator_paging=_paging(
            2, ["https://news.detik.com/berita/d-7/z"], ["2026-01-19T10:00:00+07:00"]))))


def test_empty_database_fetches_everything(tmp_path: Any) -> None:
    from aggregator.storage.db import make_engine

    eng = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables at all
    mw, stats = _mw(eng)
    assert _run(mw.process_request(_req(ART, "article"))) is None
    assert _run(mw.process_request(_req(FEED, "feed"))) is None
    _run(mw.process_response(_req(FEED, "feed"), Response(FEED, status=200)))
    mw.spider_closed(None, "finished")
    assert stats.get_value("incremental/db_error") is None


def test_db_error_counted_not_raised(engine: Engine) -> None:
    mw, stats = _mw(engine)
    mw.store.ready()
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE fetch_state")
    assert _run(mw.process_request(_req(FEED, "feed"))) is None
    assert stats.get_value("incremental/db_error") == 1


@pytest.mark.parametrize("setting", ["AGGREGATOR_INCREMENTAL_ENABLED", "AGGREGATOR_STORE_ENABLED"])
def test_disabled_by_setting(setting: str) -> None:
    crawler = get_crawler(settings_dict={setting: False})
    with pytest.raises(NotConfigured):
        IncrementalMiddleware.from_crawler(crawler)


def test_from_crawler_reads_database_url(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    crawler = get_crawler(settings_dict={"DATABASE_URL": url, "AGGREGATOR_RECHECK_WINDOW": 60})
    mw = IncrementalMiddleware.from_crawler(crawler)
    assert str(mw.store.engine.url).endswith("x.db")
    assert mw.policy.window == dt.timedelta(seconds=60)


def test_write_buffer_stays_bounded(engine: Engine) -> None:
    """A long crawl keeps at most FLUSH_EVERY fetch records in memory once each background
    flush is done: the rest is in the DB."""
    from aggregator.incremental.middleware import FLUSH_EVERY

    mw, _ = _mw(engine)
    peak, flushes = 0, []  # the futures themselves (kept alive: ids are not reused)
    for n in range(3 * FLUSH_EVERY + 7):
        url = f"https://news.detik.com/berita/d-{n}/x"
        _run(mw.process_response(_req(url, "article"), Response(url, status=200)))
        if mw._flushing is not None:
            mw._flushing.result(timeout=30)  # the flush runs on its own thread
            if not any(f is mw._flushing for f in flushes):
                flushes.append(mw._flushing)
        peak = max(peak, mw.store.pending())
    assert peak < FLUSH_EVERY
    assert len(flushes) == 3
    assert mw.store.pending() == 7
    mw.spider_closed(None, "finished")
    assert mw.store.pending() == 0
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT count(*) FROM fetch_state").scalar()
    assert rows == 3 * FLUSH_EVERY + 7
