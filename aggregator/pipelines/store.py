"""StorePipeline: batched upserts in one writer thread, so the reactor never waits on the DB.

Settings: `DATABASE_URL` (else `--db`/env/default, see `aggregator.config`),
`AGGREGATOR_STORE_ENABLED` (default True), `AGGREGATOR_STORE_BATCH_SIZE` (default 100),
`AGGREGATOR_STORE_DEAD_LETTER` (JSONL file for items that could not even be recorded as
failed because the database was unreachable; default `data/dead-letter.jsonl`),
`AGGREGATOR_STORE_WRITER` (`process`, the default: batches are written by a child
process, so the store's CPU work does not hold the crawl's interpreter; `thread`: by
the writer thread itself, see `aggregator.storage.writer_process`).
Stats prefix `store/`.  At spider close it records one `crawl_runs` row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from aggregator.config import database_url
from aggregator.items import ArticleItem
from aggregator.storage.signals import fetch_failed
from aggregator.storage.writer_process import make_writer

log = logging.getLogger(__name__)


class StorePipeline:
    """Buffer items, write each batch in one transaction on a single dedicated thread."""

    def __init__(self, crawler: Any, url: str, batch_size: int, dead_letter: str,
                 writer_mode: str = "thread") -> None:  # fmt: skip
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = max(1, batch_size)
        self.writer = make_writer(url, dead_letter=dead_letter, mode=writer_mode)
        self.buffer: list[ArticleItem] = []
        self.started_at = dt.datetime.now(dt.UTC)
        self.sources: Counter[str] = Counter()
        # One thread: writes are serialised, and SQLite sees a single writer per process.
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="aggregator-store")

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        """Read settings and connect the signals we listen to."""
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_STORE_ENABLED", True):
            raise NotConfigured("AGGREGATOR_STORE_ENABLED is off")
        url = database_url(None, settings.get("DATABASE_URL"))
        pipe = cls(
            crawler,
            url,
            settings.getint("AGGREGATOR_STORE_BATCH_SIZE", 100),
            settings.get("AGGREGATOR_STORE_DEAD_LETTER", "data/dead-letter.jsonl"),
            writer_mode=settings.get("AGGREGATOR_STORE_WRITER", "process"),
        )
        crawler.signals.connect(pipe.on_fetch_failed, signal=fetch_failed)
        crawler.signals.connect(pipe.on_item_error, signal=signals.item_error)
        crawler.signals.connect(pipe.on_spider_closed, signal=signals.spider_closed)
        return pipe

    async def _in_thread(self, func: Any, *args: Any) -> Any:
        """Run `func` on the writer thread and wait for it without blocking the reactor."""
        # Imported here: importing the reactor at module level would install the default
        # one before Scrapy installs the configured (asyncio) reactor.
        from twisted.internet import reactor

        return await maybe_deferred_to_future(deferToThreadPool(reactor, self.pool, func, *args))

    async def open_spider(self) -> None:
        """Start the writer thread and bring the schema to head (creating the DB if needed)."""
        self.pool.start()
        self.started_at = dt.datetime.now(dt.UTC)
        await self._in_thread(self.writer.open)

    async def process_item(self, item: Any) -> Any:
        """Buffer the item; write a full batch."""
        if not isinstance(item, ArticleItem):
            return item
        self.buffer.append(item)
        if len(self.buffer) >= self.batch_size:
            batch, self.buffer = self.buffer, []
            await self._flush(batch)
        return item

    async def _flush(self, batch: list[ArticleItem]) -> None:
        """Write one batch and count what happened."""
        if not batch:
            return
        outcome = await self._in_thread(self.writer.write_batch, batch)
        for key, value in outcome.counts.items():
            self.stats.inc_value(f"store/{key}", value)
        self.sources.update(outcome.stored_by_source)

    async def close_spider(self) -> None:
        """Write what is left in the buffer."""
        batch, self.buffer = self.buffer, []
        await self._flush(batch)

    def on_fetch_failed(self, url: str, reason: str, **kwargs: Any) -> None:
        """Queue a failed fetch; it is written with the next batch or at close."""
        self.writer.queue_failed_fetch(url, reason, **kwargs)
        self.stats.inc_value("store/failed_fetches_recorded")

    def on_item_error(self, item: Any, response: Any = None, spider: Any = None,
                      failure: Any = None) -> None:  # fmt: skip
        """An item that raised in a pipeline: keep it in `failed_items`."""
        reason = failure.getErrorMessage() if failure is not None else "pipeline error"
        self.writer.queue_failed_item(item, f"pipeline error: {reason}", stage="pipeline")
        self.stats.inc_value("store/item_errors_recorded")

    async def on_spider_closed(self, spider: Any, reason: str) -> None:
        """Record the crawl run (with the final stats) and stop the writer thread."""
        try:
            stats = dict(self.stats.get_stats())
            sites = sorted(set(getattr(spider, "site_names", []) or []) | set(self.sources))
            await self._in_thread(self.writer.finish_run, self.started_at, stats, sites, reason)
        finally:
            self.pool.stop()
