"""Crawl extensions: live progress callbacks and the end-of-crawl summary from stats.

`CrawlProgress` calls `AGGREGATOR_PROGRESS_CALLBACK(progress)` at most every
`AGGREGATOR_PROGRESS_INTERVAL` seconds while the crawl runs and once more when it
closes; it also keeps the final `CrawlSummary` on `crawler.aggregator_summary`.
`summarize(stats)` builds the summary from any stats dict (no Scrapy needed).

`RobotsErrorLog` turns Scrapy's robots.txt download error (an ERROR with a full
traceback, logged before the real request fails and is reported by the spider) into
one INFO line, so a dead host yields one clear log line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.logformatter import LogFormatter, LogFormatterResult

from aggregator.download_size import was_oversize

log = logging.getLogger(__name__)

#: Stats prefixes whose counters say why a URL or item did not become a stored article.
DROP_PREFIXES = ("validate/dropped/", "spider/not_article/", "spider/page_not_article/",
                 "discovery/not_xml", "discovery/too_large", "discovery/unknown_format",
                 "discovery/unsafe_xml",
                 "dedup/duplicate/")  # fmt: skip
#: Incremental counters of work found unnecessary (a successful re-run may only have these).
UNCHANGED_KEYS = ("incremental/skipped_unchanged", "incremental/not_modified")


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of a running crawl."""

    pages: int = 0  # responses received (feeds, sitemaps and article pages)
    articles: int = 0  # items that went through every pipeline
    dropped: int = 0  # items dropped by a pipeline
    errors: int = 0  # requests that failed for good
    finished: bool = False


@dataclass(slots=True)
class CrawlSummary:
    """What a finished crawl did, from its stats."""

    pages: int = 0
    articles: int = 0
    stored: int = 0
    store_failed: int = 0  # articles the database refused (kept in failed_items/dead letter)
    dropped: int = 0
    errors: int = 0
    unchanged: int = 0  # incremental skips: stored articles unchanged, documents answering 304
    ssrf_blocked: int = 0
    robots_forbidden: int = 0
    finish_reason: str | None = None
    elapsed_seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)  # drop/failure reason -> count
    stats: dict[str, Any] = field(default_factory=dict)
    fatal: str | None = None  # an error that stopped the crawl itself
    interrupted: str | None = None  # "SIGINT" / "SIGTERM" when a signal stopped the crawl
    exit_code: int = 0  # 128 + signal number when interrupted
    dead_lettered: int = 0  # articles written to the dead-letter file instead of the DB
    dead_letter_file: str | None = None  # the file, when it received anything

    @property
    def stored_breakdown(self) -> str:
        """What was stored: `3 new, 4 aliases of stored articles` (new always named)."""
        parts = [(_int(self.stats, "store/updated"), "updated"),
                 (_int(self.stats, "store/aliased"), "aliases of stored articles"),
                 (_int(self.stats, "store/unchanged"), "seen again, unchanged")]  # fmt: skip
        shown = [f"{count} {label}" for count, label in parts if count]
        return ", ".join([f"{_int(self.stats, 'store/inserted')} new", *shown])

    @property
    def stored_detail(self) -> str:
        """`stored` with its breakdown, for the summary table."""
        return f"{self.stored} ({self.stored_breakdown})" if self.stored else "0"

    @property
    def failed(self) -> bool:
        """True when the crawl achieved nothing but errors, or could not run.

        A re-run that finds everything unchanged has done its job even if a dead link
        fails again: it fails only when nothing was stored, skipped or answered 304.
        Articles that reached the store but were all refused by it are a failure too, and
        so is any article left in the dead-letter file (it is not in the database).
        """
        if self.fatal is not None or (self.store_failed > 0 and self.stored == 0):
            return True
        if self.dead_lettered > 0:
            return True
        return self.articles == 0 and self.unchanged == 0 and self.errors > 0


def _int(stats: Mapping[str, Any], key: str) -> int:
    """An integer stat (0 when absent or not a number)."""
    value = stats.get(key, 0)
    return int(value) if isinstance(value, (int, float)) else 0


def reasons_from_stats(stats: Mapping[str, Any]) -> dict[str, int]:
    """Every drop and failure counter, keyed by its stats name, sorted."""
    keys = [
        k for k in stats
        if k.startswith(DROP_PREFIXES) or (k.startswith("spider/failed/") and k.count("/") >= 3)
    ]  # fmt: skip
    return {k: _int(stats, k) for k in sorted(keys)}


def _interrupted(stats: Mapping[str, Any]) -> int:
    """Requests abandoned by an interruption (`spider/failed/<kind>/interrupted`): not errors."""
    return sum(_int(stats, k) for k in stats
               if k.startswith("spider/failed/") and k.endswith("/interrupted"))  # fmt: skip


def summarize(stats: Mapping[str, Any], *, fatal: str | None = None) -> CrawlSummary:
    """A `CrawlSummary` from a Scrapy stats dict."""
    elapsed = stats.get("elapsed_time_seconds", 0.0)
    return CrawlSummary(
        pages=_int(stats, "response_received_count"),
        articles=_int(stats, "item_scraped_count"),
        stored=_int(stats, "store/stored"),
        store_failed=_int(stats, "store/failed"),
        dropped=_int(stats, "item_dropped_count"),
        errors=_int(stats, "spider/failed") - _interrupted(stats),
        unchanged=sum(_int(stats, k) for k in UNCHANGED_KEYS),
        ssrf_blocked=_int(stats, "ssrf/blocked"),
        robots_forbidden=_int(stats, "robotstxt/forbidden"),
        finish_reason=stats.get("finish_reason"),
        elapsed_seconds=float(elapsed) if isinstance(elapsed, (int, float)) else 0.0,
        reasons=reasons_from_stats(stats),
        stats=dict(stats),
        fatal=fatal,
        dead_lettered=_int(stats, "store/dead_lettered"),
        dead_letter_file=stats.get("store/dead_letter_file"),
    )


class CrawlProgress:
    """Report progress to a callback and keep the final summary on the crawler."""

    def __init__(
        self, crawler: Crawler, callback: Callable[[Progress], None] | None, interval: float
    ) -> None:
        self.crawler = crawler
        self.callback = callback
        self.interval = interval
        self._last = float("-inf")  # the first tick always reports

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        """Connect to the signals that move the counters."""
        settings = crawler.settings
        callback = settings.get("AGGREGATOR_PROGRESS_CALLBACK")
        ext = cls(crawler, callback if callable(callback) else None,
                  settings.getfloat("AGGREGATOR_PROGRESS_INTERVAL", 0.5))  # fmt: skip
        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(ext.tick, signal=signal)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def snapshot(self, *, finished: bool = False) -> Progress:
        """The current counters."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        return Progress(
            pages=_int(stats, "response_received_count"),
            articles=_int(stats, "item_scraped_count"),
            dropped=_int(stats, "item_dropped_count"),
            errors=_int(stats, "spider/failed"),
            finished=finished,
        )

    def tick(self, *args: Any, **kwargs: Any) -> None:
        """Call the callback if the interval has passed."""
        now = time.monotonic()
        if self.callback is None or now - self._last < self.interval:
            return
        self._last = now
        self._emit(self.snapshot())

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Final callback and summary (stats are complete when spider_closed fires)."""
        stats = dict(self.crawler.stats.get_stats()) if self.crawler.stats else {}
        stats.setdefault("finish_reason", reason)
        self.crawler.aggregator_summary = summarize(stats)  # type: ignore[attr-defined]
        if self.callback is not None:
            self._emit(self.snapshot(finished=True))

    def _emit(self, progress: Progress) -> None:
        """Call the callback; its errors are logged, never allowed to stop the crawl."""
        assert self.callback is not None
        try:
            self.callback(progress)
        except Exception:
            log.exception("progress callback failed")


class OneLineLogFormatter(LogFormatter):
    """Scrapy's log formatter, but a dropped item is one line (its reason), not a dump."""

    def dropped(self, item: Any, exception: BaseException, response: Any,
                spider: Any) -> LogFormatterResult:  # fmt: skip
        """`Dropped: <reason> (<url>)` at the level Scrapy would use."""
        entry = super().dropped(item, exception, response, spider)
        url = getattr(item, "url", None)
        entry["msg"] = "Dropped: %(exception)s (%(url)s)"
        entry["args"] = {"exception": exception, "url": url}
        return entry


ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


class OneLineRobotsError(logging.Filter):
    """Rewrite robots.txt download errors as a single INFO line without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; shorten it when it carries a traceback."""
        if record.exc_info and record.levelno >= logging.ERROR:
            exc = record.exc_info[1]
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.msg = "robots.txt unavailable (%s: %s); the site is treated as allowed"
            record.args = (type(exc).__name__, exc)
        return True


class RobotsErrorLog:
    """Install `OneLineRobotsError` on Scrapy's robots.txt logger for the crawl's duration."""

    def __init__(self) -> None:
        self.filter = OneLineRobotsError()
        logging.getLogger(ROBOTS_LOGGER).addFilter(self.filter)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsErrorLog:
        """Install the filter; remove it when the spider closes."""
        ext = cls()
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        """Remove the filter (no leak into later crawls in the same process)."""
        logging.getLogger(ROBOTS_LOGGER).removeFilter(self.filter)


#: Failure types -> short reason names used in stats keys and `failed` records.
_FAILURE_REASONS: Final = (
    ("UnsafeDestination", "ssrf_blocked"),
    ("CrawlInterrupted", "interrupted"),  # aggregator.interrupt: never sent, crawl stopping
    ("TruncatedBody", "truncated"),  # aggregator.truncation: gzip body cut short
    # Scrapy >= 2.14 wraps Twisted errors in its own download exceptions.
    ("CannotResolveHostError", "dns_error"),
    ("DownloadConnectionRefusedError", "connection_refused"),
    ("DownloadTimeoutError", "timeout"),
    ("DownloadCancelledError", "cancelled"),
    ("ResponseDataLossError", "data_loss"),
    ("UnsupportedURLSchemeError", "unsupported_scheme"),
    ("DownloadFailedError", "connection_lost"),
    ("DNSLookupError", "dns_error"),
    ("TimeoutError", "timeout"),
    ("TCPTimedOutError", "timeout"),
    ("ConnectionRefusedError", "connection_refused"),
    ("ResponseNeverReceived", "connection_lost"),
    ("ConnectionLost", "connection_lost"),
    ("ConnectionDone", "connection_lost"),
    ("ResponseFailed", "connection_lost"),
    ("CancelledError", "cancelled"),
)


#: Scrapy reports these through IgnoreRequest/DownloadCancelledError messages only.
_MESSAGE_REASONS: Final = (
    ("DOWNLOAD_MAXSIZE", "too_large"),  # decompression bomb or oversized body
    ("download max size", "too_large"),  # DOWNLOAD_MAXSIZE hit while streaming
    ("max redirections", "too_many_redirects"),
    ("robots.txt", "robots_forbidden"),
    ("offsite", "offsite"),
    ("non-public address", "ssrf_blocked"),  # SafeResolver, at connection time
)


def failure_reason(failure: Any) -> str:
    """A short, stable reason for a failed request ('http_404', 'timeout', 'robots'...)."""
    exc = getattr(failure, "value", failure)
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status", None):
        return f"http_{response.status}"
    message = str(exc)
    for needle, reason in _MESSAGE_REASONS:
        if needle in message and type(exc).__name__ != "UnsafeDestination":
            return reason
    names = {cls.__name__ for cls in type(exc).__mro__}
    for name, reason in _FAILURE_REASONS:
        if name in names:
            # A body cut at DOWNLOAD_MAXSIZE without a Content-Length is a bare cancel.
            return "too_large" if reason == "cancelled" and was_oversize(failure) else reason
    if isinstance(exc, IgnoreRequest):
        return "ignored"
    return _snake(type(exc).__name__)


def failure_status(failure: Any) -> int | None:
    """The HTTP status behind a failure, when there was a response."""
    response = getattr(getattr(failure, "value", None), "response", None)
    status = getattr(response, "status", None)
    return int(status) if isinstance(status, int) else None


def _snake(name: str) -> str:
    """CamelCase -> snake_case for stats keys."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_") or "error"
