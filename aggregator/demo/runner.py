"""`aggregator demo`: serve the sample site on loopback, crawl it into a database, read it back."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aggregator.demo.report import StoredArticle, load_articles
from aggregator.demo.sample import FEED_PATH, SITEMAP_PATH, sample_server, source_names
from aggregator.exceptions import AggregatorError

if TYPE_CHECKING:
    from aggregator.crawler import CrawlOptions
    from aggregator.extensions import CrawlSummary


@dataclass(slots=True)
class DemoRun:
    """What one demo run did: where it served, where it stored, what it read back."""

    base_url: str
    db_url: str
    articles: list[StoredArticle] = field(default_factory=list)
    crawl: CrawlSummary | None = None


def crawl_options(base_url: str, db_url: str) -> CrawlOptions:
    """The options `aggregator crawl --feed ... --sitemap ... --db ...` would build."""
    from aggregator.crawler import CrawlOptions  # imports Scrapy: only when a crawl runs

    base = base_url.rstrip("/")
    return CrawlOptions(
        feeds=[base + FEED_PATH],
        sitemaps=[base + SITEMAP_PATH],
        db_url=db_url,
        log_level="WARNING",
        settings={"AGGREGATOR_SOURCE_NAMES": source_names(base)},
    )


def crawl_sample(base_url: str, db_url: str) -> CrawlSummary:
    """Crawl the sample site through `aggregator.crawler.run_crawl`, as `aggregator crawl` does."""
    from aggregator.crawler import run_crawl  # imports Scrapy: only when a crawl runs

    return run_crawl(crawl_options(base_url, db_url))


def run_demo(
    db_url: str,
    *,
    keep_serving: bool = False,
    show: Callable[[DemoRun], None] | None = None,
    say: Callable[[str], None] = print,
) -> DemoRun:
    """Serve, crawl and read back; `show` is called with the result while still serving."""
    with sample_server() as server:
        run = DemoRun(base_url=server.base_url, db_url=db_url)
        say(f"Serving the sample site at {server.base_url}/index.html")
        run.crawl = crawl_sample(server.base_url, db_url)
        # This run's rows only (by URL or alias): the database may hold earlier crawls.
        run.articles = load_articles(db_url, url_prefix=server.base_url)
        if show is not None:
            show(run)
        if not run.articles:
            raise AggregatorError("the demo crawl stored no articles (see the crawl log above)")
        if keep_serving:
            serve_until_interrupt(lambda: say(
                f"Still serving {server.base_url}/index.html (press Ctrl-C to stop)"))  # fmt: skip
    return run


def serve_until_interrupt(announce: Callable[[], None]) -> None:
    """Announce, then block until Ctrl-C (SIGINT), which ends the wait cleanly.

    Scrapy's CrawlerProcess left its own SIGINT handler, which only asks the (stopped)
    reactor to stop. Ours sets a flag instead of raising KeyboardInterrupt, so a Ctrl-C
    that lands between the announcement and the wait (a loaded machine) cannot escape
    as an interrupted run (exit 130).
    """
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())
    try:
        announce()
        while not stop.wait(0.5):  # short waits: the handler runs between them
            pass
    finally:
        signal.signal(signal.SIGINT, previous)
