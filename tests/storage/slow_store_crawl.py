"""A real Scrapy crawl (no network) whose store is slower than the items arrive.

Usage: python -m tests.storage.slow_store_crawl DB_URL N MAX_PENDING
Requests for N `data:` URLs (answered by Scrapy itself, no network), each yielding one
item, are crawled as fast as Scrapy takes them; every batch write sleeps first.  Prints
one JSON line: the crawl's store stats, and `test/peak_held`, the most items the store
pipeline held at once (buffered, or handed to the writer and not yet written).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from aggregator.pipelines.store import StorePipeline
from tests.storage.factories import item

BATCH = 10
WRITE_DELAY_S = 0.02


class DataSpider(scrapy.Spider):
    """One item per `data:` response."""

    name = "data"

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = n

    async def start(self) -> AsyncIterator[Any]:
        for n in range(self.n):
            yield scrapy.Request(f"data:,{n}", cb_kwargs={"n": n})

    def parse(self, response: Any, n: int) -> Iterator[Any]:
        yield item(n)


class SlowStorePipeline(StorePipeline):
    """The store pipeline, its writer thread sleeping before every batch."""

    default_writer = "thread"

    async def open_spider(self) -> None:
        await super().open_spider()
        write = self.writer.write_batch

        def slow_write(batch: list[Any]) -> Any:
            with self._buffer_lock:
                held = len(self.in_flight) + len(self.buffer)
            self.stats.max_value("test/peak_held", held)
            time.sleep(WRITE_DELAY_S)
            return write(batch)

        self.writer.write_batch = slow_write


def main() -> None:
    url, n, max_pending = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    process = CrawlerProcess(settings={
        "DATABASE_URL": url, "AGGREGATOR_STORE_BATCH_SIZE": BATCH,
        "AGGREGATOR_STORE_MAX_PENDING_BATCHES": max_pending,
        "CONCURRENT_REQUESTS": 16,
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
        "ITEM_PIPELINES": {"tests.storage.slow_store_crawl.SlowStorePipeline": 500},
    })  # fmt: skip
    crawler = process.create_crawler(DataSpider)
    process.crawl(crawler, n=n)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(json.dumps({k: v for k, v in stats.items() if k.startswith(("store/", "test/"))}))


if __name__ == "__main__":
    main()
