"""ArchiveMiddleware: every HTTP exchange into WARC files (`crawl --archive DIR`).

A downloader middleware at 950, next to the downloader: it sees every response as it
came off the wire (redirects, retried errors and robots.txt included, bodies still
content-encoded: HttpCompressionMiddleware at 590 decodes them later), and only
responses that really were downloaded (a response a middleware made up never passed
its `process_request`).  Writing happens on one dedicated thread, so the reactor never
waits on the disk or the database.  It stamps `request.meta["aggregator_fetched_at"]`,
which the spider uses as the article's fetch time, so re-extraction resolves relative
dates ("2 jam yang lalu") against the very same instant.

Settings: `AGGREGATOR_ARCHIVE_DIR` (off when empty), `AGGREGATOR_ARCHIVE_MAX_BYTES`
(rotation size, default 1 GB), `AGGREGATOR_ARCHIVE_WORKER` (file-name worker id,
default host-pid), `AGGREGATOR_ARCHIVE_INDEX` (default True: rows in `captures`).
Stats: `archive/records`, `archive/responses`, `archive/revisits`, `archive/rows`,
`archive/linked`, `archive/files`, `archive/bytes`, `archive/errors`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import weakref
from http import HTTPStatus
from pathlib import Path
from typing import Any, Final

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from aggregator.archive.recorder import Recorder
from aggregator.archive.records import META_KEYS, Exchange
from aggregator.archive.writer import DEFAULT_MAX_BYTES
from aggregator.exceptions import ConfigError

log = logging.getLogger(__name__)

FETCHED_AT_META: Final = "aggregator_fetched_at"
#: Crawl settings re-extraction must use as the crawl did (stored in each warcinfo).
EXTRACTION_SETTINGS: Final = (
    "AGGREGATOR_SOURCE_NAMES", "AGGREGATOR_MAX_ARTICLE_PAGES", "AGGREGATOR_FUTURE_TOLERANCE",
    "AGGREGATOR_VALIDATE_MIN_BODY_CHARS", "AGGREGATOR_CLEAN_ENABLED", "AGGREGATOR_DATES_ENABLED",
    "AGGREGATOR_DEDUP_ENABLED", "AGGREGATOR_VALIDATE_ENABLED", "AGGREGATOR_DEDUP_MEMORY",
)  # fmt: skip


def _pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy `Headers` as (name, value) pairs, one per value."""
    out: list[tuple[str, str]] = []
    for name, values in headers.items():
        for value in values or [b""]:
            out.append((name.decode("latin-1"), bytes(value).decode("latin-1")))
    return out


def _meta(request: Request) -> dict[str, Any]:
    """The crawl context worth keeping, JSON-safe, plus the article's first-page URL."""
    meta: dict[str, Any] = {key: request.meta[key] for key in META_KEYS if key in request.meta}
    kind = meta.get("aggregator_kind")
    first_url = getattr(request.cb_kwargs.get("state"), "url", None)
    if kind == "article":
        meta["article_url"] = request.url
    elif kind == "article_page" and first_url:
        meta["article_url"] = first_url
    safe: dict[str, Any] = json.loads(json.dumps(meta, default=str))
    return safe


def exchange_of(request: Request, response: Response, fetched_at: dt.datetime) -> Exchange:
    """The exchange as the downloader saw it."""
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    return Exchange(
        url=response.url, status=response.status, body=response.body, fetched_at=fetched_at,
        method=request.method, request_headers=_pairs(request.headers),
        response_headers=_pairs(response.headers), reason=reason,
        protocol=response.protocol or "HTTP/1.1",
        ip_address=str(response.ip_address) if response.ip_address else None,
        meta=_meta(request),
    )  # fmt: skip


def _check_writable(directory: Path) -> None:
    """Fail the crawl at start, in one line, when the archive directory cannot be written."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"archive directory {directory}: {exc.strerror or exc}") from None
    if not directory.is_dir() or not os.access(directory, os.W_OK | os.X_OK):
        raise ConfigError(f"archive directory {directory}: not a writable directory")


class ArchiveMiddleware:
    """Archive each downloaded exchange on a dedicated writer thread."""

    def __init__(self, crawler: Any, recorder: Recorder) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.recorder = recorder
        self.sent: weakref.WeakSet[Request] = weakref.WeakSet()
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="aggregator-archive")

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchiveMiddleware:
        """Build from settings; off unless `AGGREGATOR_ARCHIVE_DIR` is set."""
        settings = crawler.settings
        directory = settings.get("AGGREGATOR_ARCHIVE_DIR")
        if not directory:
            raise NotConfigured  # off unless asked for; no message, so Scrapy logs no warning
        _check_writable(Path(directory))
        db_url = None
        if settings.getbool("AGGREGATOR_ARCHIVE_INDEX", True):
            from aggregator.config import database_url

            db_url = database_url(None, settings.get("DATABASE_URL"))
        info = {name: settings.get(name) for name in EXTRACTION_SETTINGS if name in settings}
        recorder = Recorder(
            directory, db_url, worker=settings.get("AGGREGATOR_ARCHIVE_WORKER") or None,
            max_bytes=settings.getint("AGGREGATOR_ARCHIVE_MAX_BYTES", DEFAULT_MAX_BYTES),
            info=json.loads(json.dumps(info, default=str)),
        )  # fmt: skip
        mw = cls(crawler, recorder)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    async def _in_thread(self, func: Any, *args: Any) -> Any:
        """Run `func` on the archive thread and wait for it."""
        from twisted.internet import reactor

        return await maybe_deferred_to_future(deferToThreadPool(reactor, self.pool, func, *args))

    async def spider_opened(self, spider: Any = None) -> None:
        """Start the writer thread and connect to the database."""
        self.pool.start()
        await self._in_thread(self.recorder.open)

    def process_request(self, request: Request, spider: Any = None) -> None:
        """Remember that this request really goes to the network."""
        self.sent.add(request)

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Response:  # fmt: skip
        """Stamp the fetch time and queue the exchange for the writer thread."""
        if request not in self.sent:
            return response
        self.sent.discard(request)
        fetched_at = dt.datetime.now(dt.UTC)
        request.meta[FETCHED_AT_META] = fetched_at
        from twisted.internet import reactor

        exchange = exchange_of(request, response, fetched_at)
        deferred = deferToThreadPool(reactor, self.pool, self.recorder.record, exchange)
        deferred.addErrback(self._failed, exchange.url)
        return response

    def _failed(self, failure: Any, url: str) -> None:
        """A record that could not be written: counted and logged, the crawl goes on."""
        self.stats.inc_value("archive/errors")
        log.error("archive: could not write %s: %s", url, failure.getErrorMessage())

    async def spider_closed(self, spider: Any = None, reason: str | None = None) -> None:
        """Drain the queue, insert the last rows, link articles, report stats."""
        try:
            await self._in_thread(self.recorder.close)
        except Exception as exc:
            self.stats.inc_value("archive/errors")
            log.error("archive: could not finish the archive: %s", exc)
        finally:
            self.pool.stop()
        for key, value in self.recorder.counts.items():
            self.stats.set_value(f"archive/{key}", value)
