"""A real Scrapy crawl (no network) that yields generated items into a database.

Usage: python -m tests.storage.crawl_items DB_URL N OFFSET [BATCH [WRITER]]
Items OFFSET..OFFSET+N-1; item 7 (if present) raises in a pipeline before the store;
one fetch failure is reported through the `fetch_failed` signal.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from aggregator.storage.signals import fetch_failed
from tests.storage.factories import item


class ItemsSpider(scrapy.Spider):
    """Yields items straight from `start()`."""

    name = "items"
    site_names = ("s0", "s1", "s2")

    def __init__(self, n: int, offset: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n, self.offset = n, offset

    async def start(self) -> AsyncIterator[Any]:
        self.crawler.signals.send_catch_log(
            signal=fetch_failed, url="https://berita1.example.id/gone", reason="HTTP 404",
            status=404, source="s1", kind="article",
        )
        for n in range(self.offset, self.offset + self.n):
            yield item(n)


class FailOnSeven:
    """A buggy earlier stage: raises for item 7."""

    def process_item(self, it: Any) -> Any:
        if it.url.endswith("/read/7"):
            raise ValueError("boom on seven")
        return it


def main() -> None:
    """Run the crawl."""
    url, n, offset = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    writer = sys.argv[5] if len(sys.argv) > 5 else None  # the default when not given
    process = CrawlerProcess(settings={
        **({"AGGREGATOR_STORE_WRITER": writer} if writer else {}),
        "DATABASE_URL": url, "AGGREGATOR_STORE_BATCH_SIZE": batch, "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
        "ITEM_PIPELINES": {"tests.storage.crawl_items.FailOnSeven": 100,
                           "aggregator.pipelines.store.StorePipeline": 500},
    })  # fmt: skip
    process.crawl(ItemsSpider, n=n, offset=offset)
    process.start()


if __name__ == "__main__":
    main()
