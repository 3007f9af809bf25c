"""Scrapy side of a graceful stop: refuse new downloads, abandon queued ones, close the spider.

Every URL still waiting when the signal arrives goes through the spider's errback with
`CrawlInterrupted`, so it is counted (`spider/failed/<kind>/interrupted`) and recorded in
`failed_fetches` like any other failure, and a multi-page article keeps the pages it has.
In a distributed crawl a request this worker took from the shared queue is handed back
to it instead (`crawler.aggregator_hand_back`, set by the frontier): another worker, or
the job resumed, fetches it (`interrupt/handed_back`).
Downloads already on the wire may finish (bounded by the grace period).  Both classes
are inert unless the crawler carries an `Interrupts` object as `aggregator_interrupts`
(set by `aggregator.crawler.run_crawl`; settings cannot hold it, Scrapy copies them).
Stats prefix `interrupt/`.
"""

from __future__ import annotations

import logging

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, IgnoreRequest, NotConfigured
from twisted.python.failure import Failure

from aggregator.interrupt.signals import Interrupts

log = logging.getLogger(__name__)
#: Request meta flag: this request was failed as `interrupted` (the forced stop skips it).
ABANDONED_META = "aggregator_interrupted"


class CrawlInterrupted(IgnoreRequest):
    """The crawl was interrupted before this request was downloaded."""


def hand_back(crawler: Crawler, request: Request) -> bool:
    """Give `request` back to a shared frontier, if it came from one; True if it did.

    A handed-back request is not a failure here: its errback is dropped (Scrapy then
    drops the `IgnoreRequest` silently) and it is marked so the forced stop skips it."""
    give = getattr(crawler, "aggregator_hand_back", None)
    try:
        given = bool(give is not None and give(request))
    except Exception as exc:  # Redis unreachable: the lease expires and is reclaimed
        log.warning("interrupt: could not hand %s back to the frontier: %s", request.url, exc)
        given = False
    if given:
        request.errback = None
        request.meta[ABANDONED_META] = True
        if crawler.stats is not None:
            crawler.stats.inc_value("interrupt/handed_back")
    return given


def interrupted(crawler: Crawler) -> bool:
    """True once a crawl run by `run_crawl` received its first stop signal."""
    state = getattr(crawler, "aggregator_interrupts", None)
    return isinstance(state, Interrupts) and bool(state.received)


def _interrupts(crawler: Crawler) -> Interrupts:
    state = getattr(crawler, "aggregator_interrupts", None)
    if not isinstance(state, Interrupts):
        raise NotConfigured("not run by aggregator.crawler.run_crawl")
    return state


class InterruptMiddleware:
    """First downloader middleware: once interrupted, no request reaches the network."""

    def __init__(self, state: Interrupts, crawler: Crawler | None = None) -> None:
        self.state = state
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InterruptMiddleware:
        """Active only in a crawl run by `run_crawl`."""
        return cls(_interrupts(crawler), crawler)

    def process_request(self, request: Request) -> None:
        """Refuse the download once a signal was received."""
        if self.state.received:
            if self.crawler is None or not hand_back(self.crawler, request):
                request.meta[ABANDONED_META] = True  # counted by the spider's errback
            raise CrawlInterrupted(f"crawl interrupted by {self.state.name}")


class InterruptExtension:
    """On the first signal: abandon queued downloads; when idle, close as interrupted."""

    def __init__(self, crawler: Crawler, state: Interrupts) -> None:
        self.crawler = crawler
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> InterruptExtension:
        """Connect to spider_idle; hook the graceful stop into `Interrupts`."""
        ext = cls(crawler, _interrupts(crawler))
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        ext.state.on_graceful = ext._from_signal_handler
        return ext

    def _from_signal_handler(self) -> None:
        # Runs inside the signal handler: hand over to the reactor thread, do nothing else.
        from twisted.internet import reactor

        reactor.callFromThread(self.stop_gracefully)

    def stop_gracefully(self) -> None:
        """Reactor thread: count the signal, fail every download still waiting in a slot."""
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("interrupt/signal", self.state.name)
        log.info("Received %s: stopping; finishing what is in flight (grace %.0f s)",
                 self.state.name, self.state.grace)  # fmt: skip
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        abandoned = 0
        for slot in list(getattr(downloader, "slots", {}).values()):
            while slot.queue:
                request, deferred = slot.queue.popleft()
                if not hand_back(self.crawler, request):
                    request.meta[ABANDONED_META] = True
                    abandoned += 1
                deferred.errback(Failure(CrawlInterrupted(
                    f"crawl interrupted by {self.state.name}")))  # fmt: skip
        if stats is not None and abandoned:
            stats.inc_value("interrupt/abandoned_queued", abandoned)

    def spider_idle(self) -> None:
        """Nothing left to do after a signal: close with the interrupted reason."""
        if self.state.received:
            raise CloseSpider(self.state.finish_reason)
