"""FrontierPolitenessMiddleware: a request is downloaded only with its host's shared token.

Settings: `AGGREGATOR_FRONTIER_POLITENESS` (off: Scrapy's per-worker limits only),
`AGGREGATOR_FRONTIER_HOST_CONCURRENCY` (default CONCURRENT_REQUESTS_PER_DOMAIN),
`AGGREGATOR_FRONTIER_HOST_DELAY` (default DOWNLOAD_DELAY; a longer delay of the worker's
own download slot, from robots.txt Crawl-delay or AutoThrottle, is shared too),
`AGGREGATOR_FRONTIER_MAX_TOKEN_WAIT` (then the request goes back to the shared queue).
Stats prefix `frontier/politeness/`.
"""

from __future__ import annotations

import time
from typing import Any

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future

from aggregator.frontier.politeness import HostTokens
from aggregator.frontier.runtime import TOKEN_META, runtime_for
from aggregator.interrupt.glue import ABANDONED_META, CrawlInterrupted, hand_back, interrupted
from aggregator.middlewares import host_port


def host_key(url: str) -> str | None:
    """`host:port` of an http(s) URL (the unit of politeness), None for anything else."""
    hp = host_port(url)
    return f"{hp[0]}:{hp[1]}" if hp else None


async def _sleep(seconds: float) -> None:
    """Wait without blocking the reactor."""
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class FrontierPolitenessMiddleware:
    """Take a per-host token from Redis before a download, give it back after."""

    def __init__(self, crawler: Any, tokens: HostTokens, max_wait: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.tokens = tokens
        self.max_wait = max_wait

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierPolitenessMiddleware:
        """Off unless the frontier's politeness is on."""
        runtime = runtime_for(crawler)
        if runtime.tokens is None:
            raise NotConfigured("AGGREGATOR_FRONTIER_POLITENESS is off")
        return cls(crawler, runtime.tokens,
                   crawler.settings.getfloat("AGGREGATOR_FRONTIER_MAX_TOKEN_WAIT", 120.0))

    async def process_request(self, request: Request) -> Request | None:
        """Wait for the host's token; after `max_wait`, send the request back to the queue."""
        request.meta.pop(TOKEN_META, None)  # a retry's copy of its parent's token
        host = host_key(request.url)
        if host is None:
            return None
        started = time.monotonic()
        while True:
            if interrupted(self.crawler):  # stopping: back to the shared queue, not fetched
                if not hand_back(self.crawler, request):
                    request.meta[ABANDONED_META] = True  # failed `interrupted` instead
                raise CrawlInterrupted(f"stopping before {request.url} got its host token")
            grant = self.tokens.acquire(host, self._slot_delay(request))
            if grant.token is not None:
                request.meta[TOKEN_META] = [host, grant.token]
                waited = time.monotonic() - started
                self.stats.inc_value("frontier/politeness/granted")
                self.stats.inc_value("frontier/politeness/wait_ms", int(waited * 1000))
                return None
            if time.monotonic() - started > self.max_wait:
                self.stats.inc_value("frontier/politeness/requeued")
                return request.replace(dont_filter=True)
            await _sleep(min(grant.wait, 1.0))

    def _slot_delay(self, request: Request) -> float:
        """This worker's delay for the request's download slot (0 before the engine runs).

        Crawl-delay floors and AutoThrottle act on each worker's Scrapy slot; passing the
        slot's delay to the shared gate spaces every worker's grants by it, so N workers
        together keep the gap one worker would.
        """
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return 0.0
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            return float(slot.delay)
        return float(downloader.per_slot_settings.get(key, {}).get("delay", 0.0))

    def _release(self, request: Request) -> None:
        held = request.meta.pop(TOKEN_META, None)
        if held:
            self.tokens.release(held[0], held[1])

    def process_response(self, request: Request, response: Response) -> Response:
        """Give the token back."""
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """Give the token back (timeouts, refused connections, ignored requests)."""
        self._release(request)
