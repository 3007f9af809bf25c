"""FrontierExtension: heartbeats, lease renewal and reclaim, and the job-wide end.

On every heartbeat (`AGGREGATOR_FRONTIER_HEARTBEAT` s) the worker writes its state, renews
its leases, returns expired leases of dead workers to the queue, and wakes its engine if
it is idle while work is queued.  On `spider_idle` it commits its store buffer (so its
leases are acked) and keeps the spider open (DontCloseSpider) until `idle.decide` says the
job is over: no worker ends the job while another holds work.  A worker stopped by a
signal hands the requests it took and did not fetch back to the queue (`hand_back`) and
closes without waiting for the job.  Stats prefix `frontier/`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from aggregator.engine import wake_engine
from aggregator.frontier import job as jobs
from aggregator.frontier.idle import WorkerState, decide, read_snapshot, redis_now
from aggregator.frontier.runtime import LEASE_META, FrontierRuntime, runtime_for
from aggregator.interrupt.glue import interrupted

log = logging.getLogger(__name__)


class FrontierExtension:
    """See the module docstring."""

    def __init__(self, crawler: Any, runtime: FrontierRuntime) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.runtime = runtime
        self.idle_since: float | None = None
        self.finished = False
        self.loop = LoopingCall(self.heartbeat)

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierExtension:
        """Connect the signals."""
        ext = cls(crawler, runtime_for(crawler))
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.aggregator_hand_back = ext.hand_back  # read by aggregator.interrupt.glue
        return ext

    def hand_back(self, request: Any) -> bool:
        """A graceful stop: put a request this worker took back in the shared queue."""
        lid = request.meta.get(LEASE_META)
        if not lid or not self.runtime.book.release(lid):
            return False
        self.stats.inc_value("frontier/handed_back")
        return True

    # -- lease completion ------------------------------------------------------------
    def engine_started(self) -> None:
        """Learn when each leased request is fully processed.

        Scrapy has no signal for "callback done and its items through the pipelines";
        `Scraper._scrape` is exactly that unit, so it is wrapped (checked at start-up).
        """
        scraper = self.crawler.engine.scraper
        original = getattr(scraper, "_scrape", None)
        if original is None:
            raise RuntimeError("this Scrapy version has no Scraper._scrape; the frontier "
                               "cannot tell when a request is done")  # fmt: skip
        runtime = self.runtime

        async def scrape(result: Any, request: Any) -> None:
            try:
                await original(result, request)
            finally:
                runtime.book.processed(request.meta.get(LEASE_META),
                                       durable=runtime.store_idle())  # fmt: skip

        scraper._scrape = scrape

    # -- heartbeat -------------------------------------------------------------------
    def spider_opened(self, spider: Any) -> None:
        """Announce the worker and start beating."""
        self._beat("busy", 0.0)
        self.loop.start(self.runtime.heartbeat, now=False)

    def _beat(self, state: str, since: float) -> None:
        now = redis_now(self.runtime.server)
        ws = WorkerState(state, since or now, now)  # type: ignore[arg-type]
        self.runtime.server.hset(self.runtime.keys.workers, self.runtime.worker, ws.to_json())

    def heartbeat(self) -> None:
        """Renew, reclaim, announce; wake the engine when idle (never raises)."""
        runtime = self.runtime
        try:
            runtime.book.renew()
            busy = runtime.extra.get("busy", True)
            if busy:
                self.idle_since = None
            self._beat("busy" if busy else "idle", self.idle_since or 0.0)
            if runtime.seeder:
                jobs.renew_seeding(runtime.server, runtime.keys, runtime.worker)
            reclaimed = runtime.leases.reclaim()
            if reclaimed:
                self.stats.inc_value("frontier/reclaimed", reclaimed)
                log.warning("frontier: %d expired leases returned to the queue", reclaimed)
        except Exception as exc:  # Redis down: the next beat retries
            self.stats.inc_value("frontier/heartbeat_errors")
            log.warning("frontier: heartbeat failed: %s", exc)
            return
        if not runtime.extra.get("busy", True):
            wake_engine(self.crawler)

    def _wake_after(self, result: Any) -> Any:
        """A Deferred callback: wake the engine, pass the result (or failure) on."""
        wake_engine(self.crawler)
        return result

    # -- the end ---------------------------------------------------------------------
    def spider_idle(self, spider: Any) -> None:
        """Keep the worker open until the job as a whole is done."""
        runtime = self.runtime
        if self.finished or interrupted(self.crawler):  # the interrupt closes this worker
            return
        if not runtime.store_idle() or runtime.book.awaiting:
            if runtime.store is not None:
                # Look again as soon as the commit is done: after DontCloseSpider the
                # engine would otherwise wait for its own 5 s tick, and the job's end
                # with it (this worker stays "busy" until its items are durable).
                deferred_from_coro(runtime.store.flush_now()).addBoth(self._wake_after)
            raise DontCloseSpider
        if runtime.extra.get("busy", True) or self.idle_since is None:
            runtime.extra["busy"] = False
            self.idle_since = redis_now(runtime.server)
            self._beat("idle", self.idle_since)
        if jobs.job_status(runtime.server, runtime.keys) == "finished":
            self.finished = True
            return
        snap = read_snapshot(runtime.server, runtime.keys)
        decision = decide(snap, now=redis_now(runtime.server),
                          idle_seconds=runtime.idle_seconds, dead_after=runtime.dead_after)
        if not decision.finished:
            raise DontCloseSpider
        log.info("frontier: job %s is done (%s)", runtime.keys.job, decision.reason)
        jobs.mark_finished(runtime.server, runtime.keys)
        self.finished = True

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Say goodbye: a closed worker no longer holds the job open."""
        if self.loop.running:
            self.loop.stop()
        self.stats.set_value("frontier/bad_payloads", self.runtime.extra.get("bad_payloads", 0))
        try:
            self.runtime.book.renew()  # retry failed acks
            self._beat("closed", 0.0)
        except Exception as exc:
            log.warning("frontier: could not record this worker's close: %s", exc)
