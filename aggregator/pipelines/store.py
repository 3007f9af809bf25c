"""StorePipeline: batched upserts off the reactor thread, so the crawl never waits on the DB.

Batches are handed to one writer thread; with `AGGREGATOR_STORE_WRITER = "process"`
(the default) that thread passes them to a writer in a child process, so the store's
CPU work (signatures, clustering) runs on another core instead of holding the crawl's
interpreter (`aggregator.storage.writer_process`); `"thread"` writes on the thread itself.

Settings: `DATABASE_URL` (else `--db`/env/default, see `aggregator.config`),
`AGGREGATOR_STORE_ENABLED` (default True), `AGGREGATOR_STORE_BATCH_SIZE` (default 100),
`AGGREGATOR_STORE_MAX_PENDING_BATCHES` (default 4: while that many batches wait for the
writer, the engine is paused, so a store slower than the crawl slows the crawl instead of
piling items up in memory; see `StorePipeline._hold_back_if_behind`),
`AGGREGATOR_STORE_DEAD_LETTER` (JSONL file for items that could not even be recorded as
failed because the database was unreachable; default: beside the SQLite file, or in
`AGGREGATOR_DEAD_LETTER_DIR`, see `aggregator.storage.deadletter`),
`AGGREGATOR_JOB_ID`, `AGGREGATOR_JOB_RUN_ID`, `AGGREGATOR_JOB_TRIGGER` (set by the
scheduler on the crawls it starts; recorded on the `crawl_runs` row).
Stats prefix `store/` (`store/dead_lettered`, `store/dead_letter_file` when it was used).
At spider close it records one `crawl_runs` row.  A forced stop (second signal) takes
the items not yet committed with `take_unconfirmed()` (see `aggregator.interrupt.forced`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from aggregator.config import database_url
from aggregator.engine import wake_engine
from aggregator.items import ArticleItem
from aggregator.storage.deadletter import default_path
from aggregator.storage.signals import fetch_failed
from aggregator.storage.writer_process import WRITER_MODES, make_writer

log = logging.getLogger(__name__)
DEFAULT_MAX_PENDING_BATCHES = 4


def job_link(settings: Any) -> dict[str, Any]:
    """`AGGREGATOR_JOB_ID`/`_RUN_ID`/`_TRIGGER` settings (set by `aggregator schedule`)."""
    link: dict[str, Any] = {}
    for key, name in (("job_id", "AGGREGATOR_JOB_ID"), ("job_run_id", "AGGREGATOR_JOB_RUN_ID")):
        value = settings.get(name)
        if value not in (None, ""):
            link[key] = int(value)
    if settings.get("AGGREGATOR_JOB_TRIGGER"):
        link["trigger"] = str(settings.get("AGGREGATOR_JOB_TRIGGER"))
    return link


class StorePipeline:
    """Buffer items, write each batch in one transaction on a single dedicated thread."""

    #: Where batches are written: "process" (a child process, the default) or "thread".
    default_writer = "process"

    def __init__(self, crawler: Any, url: str, batch_size: int, dead_letter: str,
                 writer_mode: str | None = None,
                 max_pending: int = DEFAULT_MAX_PENDING_BATCHES) -> None:  # fmt: skip
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = max(1, batch_size)
        self.max_pending = max(1, max_pending)
        self._submitted = 0  # batches handed to the writer thread
        self._written = 0  # of those, batches written (or failed): the thread is FIFO
        self.paused_engine = False  # paused by us, for backpressure
        self.writer = make_writer(url, dead_letter=dead_letter,
                                  mode=writer_mode or self.default_writer)
        self.buffer: list[ArticleItem] = []
        # Items handed to the writer thread and not yet reported back as written.
        self.in_flight: list[ArticleItem] = []
        # After a forced stop took the items (`take_unconfirmed`), late arrivals wait here.
        self.sealed = False
        self.late: list[ArticleItem] = []
        self.run_state = "open"  # -> "finishing" (spider_closed) -> "recorded"; or "forced"
        self._buffer_lock = threading.Lock()
        self.started_at = dt.datetime.now(dt.UTC)
        self.sources: Counter[str] = Counter()
        self.job: dict[str, Any] = {}  # the scheduled job that started this crawl, if any
        # One thread: writes are serialised, and SQLite sees a single writer per process.
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="aggregator-store")

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        """Read settings and connect the signals we listen to."""
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_STORE_ENABLED", True):
            raise NotConfigured("AGGREGATOR_STORE_ENABLED is off")
        url = database_url(None, settings.get("DATABASE_URL"))
        dead_letter = settings.get("AGGREGATOR_STORE_DEAD_LETTER") or default_path(
            url, settings.get("AGGREGATOR_DEAD_LETTER_DIR"))  # fmt: skip
        mode = str(settings.get("AGGREGATOR_STORE_WRITER") or cls.default_writer).lower()
        if mode not in WRITER_MODES:
            raise ValueError(f"AGGREGATOR_STORE_WRITER must be one of {', '.join(WRITER_MODES)},"
                             f" not {mode!r}")
        pipe = cls(crawler, url, settings.getint("AGGREGATOR_STORE_BATCH_SIZE", 100),
                   str(dead_letter), writer_mode=mode,
                   max_pending=settings.getint("AGGREGATOR_STORE_MAX_PENDING_BATCHES",
                                               DEFAULT_MAX_PENDING_BATCHES))  # fmt: skip
        pipe.job = job_link(settings)
        crawler.aggregator_store = pipe  # the forced stop finds the buffers here
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
        """Buffer the item; write a full batch (the item that fills it waits for it)."""
        if not isinstance(item, ArticleItem):
            return item
        with self._buffer_lock:
            if self.sealed:
                self.late.append(item)
                return item
            self.buffer.append(item)
            if len(self.buffer) < self.batch_size:
                return item
            batch, self.buffer = self.buffer, []
        await self._flush(batch)
        return item

    @property
    def pending_batches(self) -> int:
        """Batches handed to the writer thread and not yet written."""
        return self._submitted - self._written

    def _hold_back_if_behind(self) -> None:
        """Backpressure: pause the engine while `max_pending` batches wait for the writer.

        Downloads already started finish and their items are buffered (a few batches at
        most); no new request starts until the writer catches up.  Making items wait
        instead keeps each waiting response and its callback alive until Scrapy's scraper
        slot holds 5 MB of raw bodies: measured, the crawl process of a 50,000-page
        benchmark grew 184 -> 345 MB that way."""
        engine = getattr(self.crawler, "engine", None)
        if self.paused_engine or engine is None or self.pending_batches < self.max_pending:
            return
        engine.pause()
        self.paused_engine = True
        self.stats.inc_value("store/backpressure_pauses")

    def _batch_written(self) -> None:
        """Count a written batch; let the engine go on once the writer has caught up."""
        self._written += 1
        if self.paused_engine and self.pending_batches < self.max_pending:
            self.paused_engine = False
            self.crawler.engine.unpause()
            wake_engine(self.crawler)

    async def _flush(self, batch: list[ArticleItem]) -> None:
        """Write one batch and count what happened."""
        if not batch:
            return
        with self._buffer_lock:
            if self.sealed:  # a forced stop took over: it owns these items now
                self.late.extend(batch)
                return
            self.in_flight = self.in_flight + batch
        self._submitted += 1
        self._hold_back_if_behind()
        try:
            outcome = await self._in_thread(self.writer.write_batch, batch)
        finally:
            written = {id(i) for i in batch}
            with self._buffer_lock:
                self.in_flight = [i for i in self.in_flight if id(i) not in written]
            self._batch_written()
        for key, value in outcome.counts.items():
            self.stats.inc_value(f"store/{key}", value)
        self.sources.update(outcome.stored_by_source)

    async def close_spider(self) -> None:
        """Write what is left in the buffer."""
        with self._buffer_lock:
            batch, self.buffer = self.buffer, []
        await self._flush(batch)

    def take_unconfirmed(self) -> list[ArticleItem]:
        """Forced stop (any thread): seal the buffer; return every item not known written.

        Items of a batch the writer thread is committing right now are included: if that
        commit lands as well, storing them again is a no-op (upserts are idempotent).
        """
        with self._buffer_lock:
            self.sealed = True
            items, self.buffer = [*self.in_flight, *self.buffer], []
            if self.run_state == "open":
                self.run_state = "forced"  # the forced stop records the crawl run
        return items

    def take_late(self) -> list[ArticleItem]:
        """Items that reached the pipeline after `take_unconfirmed`."""
        with self._buffer_lock:
            items, self.late = self.late, []
        return items

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
        with self._buffer_lock:
            forced = self.run_state == "forced"
            if not forced:
                self.run_state = "finishing"
        try:
            if not forced:
                metrics = getattr(self.crawler, "aggregator_source_metrics", None)  # health ext
                await self._in_thread(self.writer.finish_run, self.started_at,
                                      self.final_stats(), self.sites(spider), reason,
                                      self.job, metrics)  # fmt: skip
                self.run_state = "recorded"
        finally:
            self.pool.stop()
            self._count_dead_letters()
            if peak := getattr(self.writer, "peak_rss_mb", 0.0):
                self.stats.set_value("store/writer_peak_rss_mb", round(peak, 1))

    def final_stats(self) -> dict[str, Any]:
        """The crawl's stats as they stand (what the crawl_runs row records)."""
        return dict(self.stats.get_stats())

    def sites(self, spider: Any) -> list[str]:
        """The sites of the run: the spider's selection plus every source stored."""
        return sorted(set(getattr(spider, "site_names", []) or []) | set(self.sources))

    def _count_dead_letters(self) -> None:
        """Put the dead-letter count and file into the stats the summary is built from."""
        dead = self.writer.dead_letters
        if dead.records:
            self.stats.set_value("store/dead_lettered", dead.items)
            self.stats.set_value("store/dead_letter_records", dead.records)
            self.stats.set_value("store/dead_letter_file", str(dead.path))
