"""A worker on scrapy-redis as shipped (its Scheduler, pickle, no persistence), for the
comparison tests: `python -m tests.frontier.stock_worker REDIS PREFIX DB seed|join SITEMAP...`.

Like ours, every worker knows the job's start arguments and only the seeder queues them.

Prints `STOCK-RESULT {json}` (pages, articles) as its last line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from typing import Any

from scrapy.crawler import CrawlerProcess

from aggregator.crawler import CrawlOptions, build_settings
from spiders.news import NewsSpider
from tests.frontier.helpers import FAST


class StockNewsSpider(NewsSpider):
    """The news spider; `seed=False` workers take their work from the shared queue only."""

    def __init__(self, *args: Any, seed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seed = seed

    async def start(self) -> AsyncIterator[Any]:
        if self.seed:
            async for request in super().start():
                yield request


def stock_settings(redis_url: str, prefix: str) -> dict[str, object]:
    """The scrapy-redis README's settings, on keys private to one test."""
    return {
        **{k: v for k, v in FAST.items() if not k.startswith("AGGREGATOR_FRONTIER")},
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "REDIS_URL": redis_url,
    }


def main(argv: list[str]) -> None:
    redis_url, prefix, db_url, role, *sitemaps = argv
    options = CrawlOptions(db_url=db_url, log_level="ERROR",
                           settings=stock_settings(redis_url, prefix))  # fmt: skip
    process = CrawlerProcess(build_settings(options))
    crawler = process.create_crawler(StockNewsSpider)
    process.crawl(crawler, sitemap=sitemaps, seed=role == "seed")
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print("STOCK-RESULT " + json.dumps({"pages": stats.get("response_received_count", 0),
                                        "articles": stats.get("item_scraped_count", 0)}))


if __name__ == "__main__":
    main(sys.argv[1:])
