"""FrontierNewsSpider: the news spider with its seen sets in Redis and one seeding worker.

Every worker gets the job's spider arguments (so start hosts, sites and index walks are
known everywhere), but only the seeder yields the start requests; the others take their
work from the shared queue.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from aggregator.frontier import job as jobs
from aggregator.frontier.runtime import runtime_for
from aggregator.frontier.seen import RedisSeenSet
from spiders.news import NewsSpider


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
            discovered.update(spider.discovered)
            sitemaps.update(spider.sitemaps_seen)
        spider.discovered = discovered  # type: ignore[assignment]
        spider.sitemaps_seen = sitemaps  # type: ignore[assignment]
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The seeder queues the start requests; the other workers queue nothing here."""
        runtime = runtime_for(self.crawler)
        if not runtime.seeder:
            return
        async for request in super().start():
            yield request
        jobs.finish_seeding(runtime.server, runtime.keys)
