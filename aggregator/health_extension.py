"""SourceHealthMetrics: feeds `aggregator.health.collect.SourceRunCollector` from signals.

Thin Scrapy glue: every response, finished or dropped item, rejected page and failed fetch is
counted under its source; the store pipeline writes the rows (`source_runs`) with the
crawl run.  Switch off with `AGGREGATOR_SOURCE_METRICS_ENABLED = False`.  Stats prefix
`health/`.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from aggregator.article import source_for
from aggregator.health.collect import SourceRunCollector
from aggregator.items import ArticleItem
from aggregator.sites import site_for_url
from aggregator.storage.signals import fetch_failed, page_rejected


class SourceHealthMetrics:
    """Count what each source did in this crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.names = crawler.settings.getdict("AGGREGATOR_SOURCE_NAMES")
        self.collector = SourceRunCollector()
        crawler.aggregator_source_metrics = self.collector  # type: ignore[attr-defined]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceHealthMetrics:
        """Connect the signals (unless switched off)."""
        if not crawler.settings.getbool("AGGREGATOR_SOURCE_METRICS_ENABLED", True):
            raise NotConfigured("AGGREGATOR_SOURCE_METRICS_ENABLED is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.on_response, signal=signals.response_received)
        crawler.signals.connect(ext.on_item, signal=signals.item_scraped)
        crawler.signals.connect(ext.on_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.on_rejected, signal=page_rejected)
        crawler.signals.connect(ext.on_failed, signal=fetch_failed)
        return ext

    def _source(self, url: str) -> str:
        """The source name an article from `url` would be stored under."""
        return source_for(url, site_for_url(url), self.names)

    def on_response(self, response: Any, request: Any = None, spider: Any = None) -> None:
        """A response arrived (any status; robots.txt too, it tells about the site)."""
        self.collector.response(self._source(response.url), int(response.status))
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("health/responses")

    def on_item(self, item: Any, response: Any = None, spider: Any = None) -> None:
        """An article passed every pipeline."""
        if isinstance(item, ArticleItem):
            self.collector.item(item)

    def on_dropped(self, item: Any, exception: BaseException, response: Any = None,
                   spider: Any = None) -> None:  # fmt: skip
        """A pipeline dropped an item."""
        source = getattr(item, "source", None) or self._source(str(getattr(item, "url", "")))
        self.collector.dropped(source, str(exception))

    def on_rejected(self, url: str, reason: str, **kwargs: Any) -> None:
        """A page held no article."""
        self.collector.rejected(self._source(url), reason)

    def on_failed(self, url: str, reason: str, source: str | None = None, **kwargs: Any) -> None:
        """A URL failed for good."""
        self.collector.failure(source or self._source(url), reason)
