"""FrontierNewsSpider: the news spider with its seen sets in Redis and one seeding worker.

Every worker gets the job's spider arguments (so start hosts, sites and index walks are
known everywhere), but only the seeder yields the start requests; the others take their
work from the shared queue.

Feeds and sitemaps go ahead of articles in the shared queue (`DISCOVERY_PRIORITY`).  At
equal priority a sitemap waits behind the articles it discovered, so the job learns its
hosts one sitemap at a time and, with per-host tokens shared, N workers queue up behind
one host's limit while the others sit idle.  Expanding discovery first puts every host's
articles in the queue early, and its random order within a priority interleaves them.
A single-process crawl keeps equal priorities: its queue lives in memory, and walking
sitemaps depth first keeps it short.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from aggregator.frontier import job as jobs
from aggregator.frontier.runtime import runtime_for
from aggregator.frontier.seen import RedisSeenSet
from spiders.news import INDEX_PRIORITY, NewsSpider

#: Feeds and sitemaps: as far ahead of articles as index pages.
DISCOVERY_PRIORITY = INDEX_PRIORITY
DISCOVERY_KINDS = frozenset({"feed", "sitemap"})


class FrontierNewsSpider(NewsSpider):
    """See the module docstring."""

    name = "news"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> FrontierNewsSpider:
        """The news spider, its seen sets moved to the job's Redis."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        runtime = runtime_for(crawler)
        discovered = RedisSeenSet(runtime.server, runtime.keys.seen("articles"))
        sitemaps = RedisSeenSet(runtime.server, runtime.keys.seen("documents"))
        if runtime.seeder:
            discovered.update(spider.start_urls_of(articles=True))
            sitemaps.update(spider.start_urls_of(articles=False))
        spider.discovered = discovered  # type: ignore[assignment]
        spider.sitemaps_seen = sitemaps  # type: ignore[assignment]
        return spider

    def _request(
        self, url: str, kind: str, callback: Any, spec: Any, **meta: Any
    ) -> scrapy.Request:
        """The news spider's request; discovery documents ahead of articles (see above)."""
        request = super()._request(url, kind, callback, spec, **meta)
        if kind in DISCOVERY_KINDS:
            request.priority = max(request.priority, DISCOVERY_PRIORITY)
        return request

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The seeder queues the start requests; the other workers queue nothing here."""
        runtime = runtime_for(self.crawler)
        if not runtime.seeder:
            return
        async for request in super().start():
            yield request
        jobs.finish_seeding(runtime.server, runtime.keys)
