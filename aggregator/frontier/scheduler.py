"""scrapy-redis's scheduler and priority queue, with JSON requests and leased pops.

`FrontierQueue.pop` leases the request (see `leases`) instead of deleting it;
`FrontierScheduler.enqueue_request` acks the lease of a request that comes back as a
retry or redirect once the new request is queued.  The scheduler never flushes the
shared queue or seen set when a worker closes (scrapy-redis does unless
SCHEDULER_PERSIST is on): the job ends by `idle.decide`, not by one worker.
"""

from __future__ import annotations

import logging
import random
import warnings
from typing import Any

from scrapy import Request
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from aggregator.frontier import codec
from aggregator.frontier.runtime import LEASE_META, LOCAL_META, FrontierRuntime, runtime_for
from aggregator.interrupt.glue import interrupted

log = logging.getLogger(__name__)


class FrontierQueue(PriorityQueue):
    """The job's priority queue: JSON members, pops that lease."""

    def __init__(self, server: Any, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer=codec)
        self.runtime: FrontierRuntime = runtime_for(spider.crawler)

    def _encode_request(self, request: Request) -> bytes:
        """The request as JSON, without this worker's lease and token."""
        data = request.to_dict(spider=self.spider)
        data["meta"] = {k: v for k, v in data.get("meta", {}).items() if k not in LOCAL_META}
        return codec.dumps(data)

    def push(self, request: Request) -> None:
        """Queue by priority; within one priority in random order.

        scrapy-redis scores by -priority alone, so equal scores sort by the JSON itself,
        i.e. by URL: every worker would take the same host's requests and queue up
        behind its per-host tokens.  A fraction below 1 spreads hosts out and never
        crosses into the next priority.
        """
        score = -request.priority + random.random() * 0.99
        self.server.execute_command("ZADD", self.key, score, self._encode_request(request))

    def pop(self, timeout: int = 0) -> Request | None:
        """Lease the best request; a payload that is not ours is dropped, counted."""
        member = self.runtime.leases.pop()
        if member is None:
            return None
        lid = self.runtime.book.take(member)
        try:
            request = self._decode_request(member)
        except Exception as exc:  # a forged or damaged entry: never executed, only dropped
            log.error("frontier: dropped an unreadable queue entry: %s", exc)
            self.runtime.extra["bad_payloads"] = self.runtime.extra.get("bad_payloads", 0) + 1
            self.runtime.book.ack([lid])
            return None
        request.meta[LEASE_META] = lid
        return request


class FrontierScheduler(Scheduler):
    """scrapy-redis's scheduler on the job's keys and our connection."""

    runtime: FrontierRuntime
    crawler: Any

    @classmethod
    def from_crawler(cls, crawler: Any) -> FrontierScheduler:
        """Persisting, JSON-serialising, never flushing on start or close."""
        runtime = runtime_for(crawler)
        settings = crawler.settings
        instance = cls(
            server=runtime.server, persist=True, flush_on_start=False,
            queue_key=settings.get("SCHEDULER_QUEUE_KEY"),
            queue_cls=settings.get("SCHEDULER_QUEUE_CLASS"),
            dupefilter_key=settings.get("SCHEDULER_DUPEFILTER_KEY"),
            dupefilter_cls=settings.get("DUPEFILTER_CLASS"),
            idle_before_close=0, serializer=codec,
        )  # fmt: skip
        instance.stats = crawler.stats
        instance.runtime = runtime
        instance.crawler = crawler
        return instance

    def open(self, spider: Any) -> None:
        """scrapy-redis's open, without the deprecation warning its "Resuming crawl"
        line (`Spider.log`) prints in every worker that joins a running job."""
        from scrapy.exceptions import ScrapyDeprecationWarning

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", r"Spider\.log\(\) is deprecated",
                                    ScrapyDeprecationWarning)  # fmt: skip
            super().open(spider)

    def close(self, reason: str) -> None:
        """Keep the shared queue and seen set: other workers (or a resumed job) need them."""

    def enqueue_request(self, request: Request) -> bool:
        """Queue `request`; if it replaces a leased one (retry, redirect), ack that lease."""
        parent = request.meta.get(LEASE_META)
        queued = False
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            self._count("frontier/duplicate_filtered")
        else:
            try:
                self.queue.push(request)
                queued = True
                self._count("scheduler/enqueued/redis")
            except codec.CodecError as exc:
                log.error("frontier: cannot queue %s: %s", request.url, exc)
                self._count("frontier/unencodable")
        if parent is not None:
            self.runtime.book.ack([parent])
        return queued

    def has_pending_requests(self) -> bool:
        """Work left in the shared queue; none for a worker that is stopping."""
        return not interrupted(self.crawler) and bool(super().has_pending_requests())

    def next_request(self) -> Request | None:
        """The next leased request from the shared queue (none once stopping: what is
        queued stays there for the other workers)."""
        if interrupted(self.crawler):
            return None
        request: Request | None = self.queue.pop()
        if request is not None:
            self.runtime.extra["busy"] = True
            self._count("scheduler/dequeued/redis")
        return request

    def _count(self, key: str) -> None:
        if self.stats:
            self.stats.inc_value(key)
