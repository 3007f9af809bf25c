"""Run the `news` spider in-process: `run_crawl(CrawlOptions(...)) -> CrawlSummary`.

The Twisted reactor cannot be restarted, so `run_crawl` runs once per process (the CLI
and the tests call it in a fresh process).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from aggregator.exceptions import ConfigError
from aggregator.extensions import CrawlSummary, Progress, summarize
from aggregator.interrupt import Interrupts
from aggregator.interrupt.forced import forced_stop
from aggregator.interrupt.signals import FORCE_SECONDS, GRACE_SECONDS
from aggregator.middlewares import host_port

log = logging.getLogger(__name__)

SETTINGS_MODULE = "aggregator.settings"


@dataclass(slots=True)
class CrawlOptions:
    """What to crawl and where to store it."""

    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)  # listing URLs, `{page}` = page number
    index_pages: int = 5  # pages walked per `indexes` entry at most
    db_url: str | None = None  # `--db`; see aggregator.config.database_url for precedence
    max_articles: int | None = None
    log_level: str = "INFO"
    settings: dict[str, Any] = field(default_factory=dict)  # `-s NAME=VALUE` overrides
    progress: Callable[[Progress], None] | None = None


def validate_options(options: CrawlOptions) -> None:
    """Raise ConfigError for options that cannot start a crawl (before the reactor runs)."""
    from aggregator.sites import select_sites

    select_sites(options.sites)  # ConfigError naming the known sites for a bad name
    starts = [*options.feeds, *options.sitemaps, *options.urls, *options.indexes]
    if not starts and not options.sites:
        raise ConfigError("nothing to crawl: give --feed, --sitemap, --index, --url or --site")
    for url in starts:
        if host_port(url) is None:
            raise ConfigError(f"not an http(s) URL: {url!r}")
    if options.index_pages < 1:
        raise ConfigError("--index-pages must be at least 1")
    if options.max_articles is not None and options.max_articles < 1:
        raise ConfigError("--max-articles must be at least 1")
    from aggregator.storage.writer_process import WRITER_MODES

    writer = options.settings.get("AGGREGATOR_STORE_WRITER")
    if writer is not None and str(writer).lower() not in WRITER_MODES:
        raise ConfigError(f"AGGREGATOR_STORE_WRITER must be one of {', '.join(WRITER_MODES)},"
                          f" not {writer!r}")


def build_settings(options: CrawlOptions) -> Settings:
    """Project settings plus the options (overrides at 'cmdline' priority)."""
    from aggregator.config import database_url
    from aggregator.storage.preflight import require_persistent

    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    for name, value in options.settings.items():
        settings.set(name, value, priority="cmdline")
    url = database_url(options.db_url, settings.get("DATABASE_URL"))
    if settings.getbool("AGGREGATOR_STORE_ENABLED", True):
        url = require_persistent(url)  # an in-memory database would silently lose the crawl
    settings.set("DATABASE_URL", url, priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level.upper(), priority="cmdline")
    if options.max_articles:
        settings.set("CLOSESPIDER_ITEMCOUNT", options.max_articles, priority="cmdline")
    if options.progress is not None:
        settings.set("AGGREGATOR_PROGRESS_CALLBACK", options.progress, priority="cmdline")
    return settings


def check_database(settings: Settings) -> None:
    """Fail fast with one `StorageError` line when the database cannot commit a write.

    Runs on a helper thread so that a signal still reaches the main thread while SQLite
    waits (up to its busy timeout) for a lock another process holds.
    """
    if not settings.getbool("AGGREGATOR_STORE_ENABLED", True):
        return
    from aggregator.storage.preflight import prove_writable

    errors: list[BaseException] = []

    def probe() -> None:
        try:
            prove_writable(settings["DATABASE_URL"])
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    thread = threading.Thread(target=probe, name="aggregator-preflight", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.2)
    if errors:
        raise errors[0]


def spider_kwargs(options: CrawlOptions) -> dict[str, Any]:
    """Spider arguments as lists (so URLs containing commas survive)."""
    pairs = (("feed", options.feeds), ("sitemap", options.sitemaps), ("url", options.urls),
             ("site", options.sites), ("index", options.indexes))  # fmt: skip
    kwargs: dict[str, Any] = {name: list(values) for name, values in pairs if values}
    if options.indexes:
        kwargs["index_pages"] = options.index_pages
    return kwargs


def run_crawl(options: CrawlOptions) -> CrawlSummary:
    """Crawl to completion and return the summary (fatal errors land in `summary.fatal`).

    SIGINT and SIGTERM stop the crawl gracefully, a second one forces the stop
    (`aggregator.interrupt`); `summary.interrupted` then names the signal.
    """
    from spiders.news import NewsSpider

    validate_options(options)
    settings = build_settings(options)
    interrupts = install_interrupts(settings)  # a signal from here on is honoured
    check_database(settings)  # before the reactor: a clear error instead of a failed crawl
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    fatal: list[str] = []

    def _failed(failure: Any) -> None:
        fatal.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")
        log.error("Crawl failed: %s", fatal[-1])

    attach_interrupts(interrupts, crawler)
    process.crawl(crawler, **spider_kwargs(options)).addErrback(_failed)
    try:
        process.start(install_signal_handlers=False)  # ours are installed (above)
    finally:
        interrupts.finished()
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    summary = summarize(stats, fatal=fatal[0] if fatal else None)
    summary.interrupted, summary.exit_code = interrupts.name, interrupts.code
    return summary


def interrupt_bounds(settings: Settings) -> tuple[float, float]:
    """(grace, force_timeout): seconds from the first signal to the forced stop, and the
    forced stop's time to write before it dead-letters the rest."""
    return (settings.getfloat("AGGREGATOR_INTERRUPT_GRACE", GRACE_SECONDS),
            settings.getfloat("AGGREGATOR_INTERRUPT_FORCE_TIMEOUT", FORCE_SECONDS))


def install_interrupts(settings: Settings) -> Interrupts:
    """Our SIGINT/SIGTERM handlers (main thread only), with the configured bounds."""
    grace, force_timeout = interrupt_bounds(settings)
    interrupts = Interrupts(grace=grace, force_timeout=force_timeout)
    if threading.current_thread() is threading.main_thread():
        interrupts.install()  # kept after the crawl: a second signal then exits at once
    return interrupts


def attach_interrupts(interrupts: Interrupts, crawler: Any) -> None:
    """Let the crawl's components and the forced stop find the signal state."""
    crawler.aggregator_interrupts = interrupts  # read by aggregator.interrupt.glue
    interrupts.on_force = forced_stop(crawler)
    interrupts.phase = "running"
