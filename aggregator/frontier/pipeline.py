"""FrontierStorePipeline: the store pipeline, telling the frontier when items are durable.

A leased request is acked only once the items it produced are committed (see
`leases.LeaseBook`); the pipeline also stamps the crawl run with the job and worker
(`frontier/job`, `frontier/worker` stats, copied into `crawl_runs`).
"""

from __future__ import annotations

from typing import Any

from aggregator.frontier.runtime import FrontierRuntime, runtime_for
from aggregator.frontier.storetime import StoreTimer
from aggregator.items import ArticleItem
from aggregator.pipelines.store import StorePipeline


class FrontierStorePipeline(StorePipeline):
    """StorePipeline + lease acks after each commit."""

    #: The writer thread: the store timer (`frontier/store/*_ms`) hooks the writer's engine.
    default_writer = "thread"
    runtime: FrontierRuntime
    timer: StoreTimer
    flushing: int  # batches handed to the writer thread and not yet committed

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierStorePipeline:
        """The store pipeline, registered with the worker's frontier runtime."""
        pipe = super().from_crawler(crawler)
        assert isinstance(pipe, FrontierStorePipeline)
        pipe.runtime = runtime_for(crawler)
        pipe.runtime.store = pipe
        pipe.timer = StoreTimer()
        pipe.flushing = 0
        return pipe

    async def open_spider(self) -> None:
        """Open the writer, then time it (stats `frontier/store/*_ms`)."""
        await super().open_spider()
        self.timer.attach(self.writer)

    async def _flush(self, batch: list[ArticleItem]) -> None:
        """Write the batch, then ack the leases whose items it held."""
        waiting = self.runtime.book.begin_flush()
        self.flushing += 1
        try:
            if batch:
                await super()._flush(batch)
            else:  # a barrier: a batch already on the writer thread commits first
                await self._in_thread(lambda: None)
        finally:
            self.flushing -= 1
        self.runtime.book.ack(waiting)

    @property
    def durable(self) -> bool:
        """True when every item this pipeline was given is committed (none buffered,
        none in a batch still being written)."""
        return not self.buffer and not self.flushing

    async def flush_now(self) -> None:
        """Commit the buffer now (the worker is idle: its leases must not wait)."""
        batch, self.buffer = self.buffer, []
        await self._flush(batch)

    async def on_spider_closed(self, spider: Any, reason: str) -> None:
        """Record the run with its job and worker."""
        self.stats.set_value("frontier/job", self.runtime.keys.job)
        self.stats.set_value("frontier/worker", self.runtime.worker)
        for key, value in self.timer.stats().items():
            self.stats.set_value(key, value)
        await super().on_spider_closed(spider, reason)
