"""IncrementalMiddleware: conditional GET, skipping unchanged articles, paging watermarks.

Downloader middleware, driven by the request meta keys of docs/ARCHITECTURE.md:

- ``aggregator_kind`` in feed/sitemap/index: stored ETag/Last-Modified are sent as
  If-None-Match/If-Modified-Since; a 304 is counted (``incremental/not_modified``) and
  raises `NotModified` (an `IgnoreRequest`), so the spider gets no links from it.
  Validators of 200 responses are recorded in ``fetch_state``.
- ``aggregator_kind == "article"``: a URL already stored (canonical or alias) is skipped
  with `SkippedUnchanged` (``incremental/skipped_unchanged``) unless
  `aggregator.incremental.policy.decide` says it may have changed.
- ``aggregator_kind == "index"`` with meta ``aggregator_paging`` = ``{"source", "index_url",
  "page_urls", "page_dates" (optional ISO strings), "page"}`` describing the page just
  parsed: the request for the next page is dropped with `PagingStopped`
  (``incremental/paging_stopped``) once `should_continue_paging` says so.  The first
  page's newest entry becomes the watermark when the crawl finishes cleanly.
- ``aggregator_force = True`` bypasses all of it for one request.

Skips are not failures: the request's errback is not called for them (Scrapy then drops
the `IncrementalSkip` silently), so they never show up as failed fetches.

Database lookups run inline on SQLite (an indexed read in-process costs less than a
thread hop) and in a worker thread on PostgreSQL (`run_in_thread`); writes are buffered and
flushed in batches on a thread of their own that nothing waits for (a flush can wait
seconds for the store's write lock, and must not hold up a download or the lookups
meanwhile), so the reactor never waits on the database.
Settings: ``AGGREGATOR_INCREMENTAL_ENABLED`` (True), ``AGGREGATOR_RECHECK_WINDOW``
(seconds, 21600), ``AGGREGATOR_RECHECK_MIN_INTERVAL`` (seconds, 3600), ``DATABASE_URL``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, NoReturn

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import run_in_thread
from sqlalchemy.exc import SQLAlchemyError

from aggregator.config import database_url
from aggregator.incremental.policy import (
    RecheckPolicy,
    decide,
    discovery_date,
    safe_parse_date,
)
from aggregator.incremental.state import FetchRecord, IncrementalStore, state_key
from aggregator.incremental.watermark import newest_entry, should_continue_paging
from aggregator.storage.db import make_engine

VALIDATED_KINDS = frozenset({"feed", "sitemap", "index"})
FLUSH_EVERY = 50


class IncrementalSkip(IgnoreRequest):
    """A request left out on purpose: not a failure, so the errback is not called."""


class NotModified(IncrementalSkip):
    """The server answered 304 to our conditional GET: nothing new behind this URL."""


class SkippedUnchanged(IncrementalSkip):
    """The article is stored and nothing says it changed."""


class PagingStopped(IncrementalSkip):
    """The previous index page reached articles already seen."""


def _skip(request: Request, exc: IncrementalSkip) -> NoReturn:
    """Raise `exc` for `request` without its errback: a skip must not count as a failure."""
    # Scrapy drops an IgnoreRequest silently when the request has no errback.
    request.errback = None
    raise exc


def _utcnow() -> dt.datetime:
    """The current time, aware UTC (tests pass their own clock)."""
    return dt.datetime.now(dt.UTC)


class IncrementalMiddleware:
    """Make re-runs cheap: see the module docstring for the request meta it reads."""

    def __init__(
        self,
        store: IncrementalStore,
        stats: Any,
        policy: RecheckPolicy | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        """Keep the store, stats collector, re-check policy and clock."""
        self.store, self.stats, self.clock = store, stats, clock
        self.policy = policy or RecheckPolicy()
        # One flush at a time, in the background; the last one runs at spider close.
        self._flusher = ThreadPoolExecutor(1, thread_name_prefix="aggregator-fetch-state")
        self._flushing: Future[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalMiddleware:
        """Build from settings; `AGGREGATOR_INCREMENTAL_ENABLED = False` turns it off."""
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_INCREMENTAL_ENABLED", True):
            raise NotConfigured("AGGREGATOR_INCREMENTAL_ENABLED is off")
        if not settings.getbool("AGGREGATOR_STORE_ENABLED", True):
            raise NotConfigured("nothing is stored, so there is nothing to compare against")
        engine = make_engine(database_url(None, settings.get("DATABASE_URL")))
        policy = RecheckPolicy(
            window=dt.timedelta(seconds=settings.getfloat("AGGREGATOR_RECHECK_WINDOW", 21600)),
            min_interval=dt.timedelta(
                seconds=settings.getfloat("AGGREGATOR_RECHECK_MIN_INTERVAL", 3600)),
        )
        mw = cls(IncrementalStore(engine), crawler.stats, policy)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def process_request(self, request: Request) -> None:
        """Add validators, or raise an `IgnoreRequest` subclass to skip the download."""
        kind = request.meta.get("aggregator_kind")
        if request.meta.get("aggregator_force") or kind not in (*VALIDATED_KINDS, "article"):
            return
        try:
            if kind == "index" and isinstance(request.meta.get("aggregator_paging"), dict):
                await self._check_paging(request)
            if kind == "article":
                await self._check_article(request)
            else:
                await self._add_validators(request, kind)
        except SQLAlchemyError:
            self.stats.inc_value("incremental/db_error")  # fetch as if nothing were stored

    async def process_response(self, request: Request, response: Response) -> Response:
        """Record validators and dates; turn an answered conditional GET into `NotModified`."""
        kind = request.meta.get("aggregator_kind")
        if kind not in (*VALIDATED_KINDS, "article"):
            return response
        now = self.clock()
        rec = FetchRecord(key=state_key(request.url, kind=kind), kind=kind, fetched_at=now,
                          status=response.status)
        if kind == "article":  # answered either way: this entry date is now seen
            rec.lastmod_seen = discovery_date(request.meta.get("aggregator_discovery"), now=now)
        if response.status == 304 and request.meta.get("aggregator_conditional"):
            rec.not_modified = True
            stored_id = request.meta.get("aggregator_stored_id")
            if isinstance(stored_id, int):
                self.store.mark_seen(stored_id, now)
            self._record(rec)
            self.stats.inc_value("incremental/not_modified")
            _skip(request, NotModified(f"not modified: {request.url}"))
        if 200 <= response.status < 300:
            rec.etag = _header(response, b"ETag")
            rec.last_modified = _header(response, b"Last-Modified")
            self._record(rec)
        return response

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Write what is buffered; watermarks only after a clean finish."""
        self._flusher.shutdown(wait=True)  # a background flush still running ends first
        try:
            self.store.flush(watermarks=reason == "finished")
        except SQLAlchemyError:
            self.stats.inc_value("incremental/db_error")
        self.store.engine.dispose()

    async def _add_validators(self, request: Request, kind: str) -> None:
        """Send stored ETag / Last-Modified so an unchanged document costs a 304."""
        found = await self._read(self.store.validators, state_key(request.url, kind=kind))
        if found is None:
            return
        if found.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = found.etag
        if found.last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = found.last_modified
        request.meta["aggregator_conditional"] = True
        self.stats.inc_value("incremental/conditional_sent")

    async def _check_article(self, request: Request) -> None:
        """Skip a stored, unchanged article; let new, changed and young ones through."""
        stored = await self._read(self.store.stored_article, request.url)
        now = self.clock()
        found = discovery_date(request.meta.get("aggregator_discovery"), now=now)
        reason = decide(stored, found, now=now, policy=self.policy)
        if stored is not None:  # a 304 to the conditional GET also means "still listed"
            request.meta["aggregator_stored_id"] = stored.article_id
        if reason == "unchanged":
            assert stored is not None  # "unchanged" is only ever said of a stored article
            self.store.mark_seen(stored.article_id, now)
            self.stats.inc_value("incremental/skipped_unchanged")
            _skip(request, SkippedUnchanged(f"stored and unchanged: {request.url}"))
        self.stats.inc_value(f"incremental/fetch/{reason}")
        if reason != "new":
            await self._add_validators(request, "article")

    async def _check_paging(self, request: Request) -> None:
        """Drop the next index page when the previous one reached the watermark."""
        paging = request.meta["aggregator_paging"]
        source, index_url = str(paging.get("source") or ""), str(paging.get("index_url") or "")
        urls = [u for u in paging.get("page_urls") or [] if isinstance(u, str)]
        dates = [safe_parse_date(d) for d in paging.get("page_dates") or []]
        if paging.get("page") == 2 and source and index_url:  # page_urls are page 1's
            self.store.record_watermark(source, index_url, *newest_entry(urls, dates))
        go_on = await run_in_thread(should_continue_paging, self.store, source, index_url,
                                    urls, dates)
        if not go_on:
            self.stats.inc_value("incremental/paging_stopped")
            _skip(request, PagingStopped(f"index reached seen articles: {request.url}"))

    async def _read(self, lookup: Callable[..., Any], *args: Any) -> Any:
        """A database lookup: inline on SQLite, in a worker thread on a server database."""
        if self.store.inline_reads:
            return lookup(*args)
        return await run_in_thread(lookup, *args)

    def _record(self, rec: FetchRecord) -> None:
        """Buffer a fetch record; every `FLUSH_EVERY`, flush in the background."""
        self.store.record(rec)
        if self.store.pending() >= FLUSH_EVERY and (
                self._flushing is None or self._flushing.done()):  # fmt: skip
            self._flushing = self._flusher.submit(self._flush_in_background)

    def _flush_in_background(self) -> None:
        """One flush on the flusher thread; a database error is counted, not raised."""
        try:
            self.store.flush()
        except SQLAlchemyError:
            self.stats.inc_value("incremental/db_error")


def _header(response: Response, name: bytes) -> str | None:
    """A response header as text, trimmed to the column size, or None."""
    value = response.headers.get(name)
    if not value:
        return None
    return value.decode("latin-1").strip()[:500] or None
