"""The Scrapy settings that turn a crawl into a frontier worker (scrapy-redis + our parts)."""

from __future__ import annotations

from typing import Any, Final

from aggregator.frontier.keys import JobKeys

#: Defaults of the frontier's own settings (each overridable with -s NAME=VALUE).
DEFAULTS: Final[dict[str, Any]] = {
    "AGGREGATOR_FRONTIER_LEASE_TIMEOUT": 60.0,  # a dead worker's requests return after this
    "AGGREGATOR_FRONTIER_IDLE_SECONDS": 5.0,  # every worker idle this long: the job ends
    "AGGREGATOR_FRONTIER_HEARTBEAT": 1.0,  # seconds between heartbeats (renewals, reclaims)
    "AGGREGATOR_FRONTIER_DEAD_AFTER": 30.0,  # no heartbeat this long: a worker is dead
    "AGGREGATOR_FRONTIER_POLITENESS": True,  # per-host tokens shared by the workers
    "AGGREGATOR_FRONTIER_HOST_CONCURRENCY": 0,  # 0: CONCURRENT_REQUESTS_PER_DOMAIN
    "AGGREGATOR_FRONTIER_HOST_DELAY": None,  # None: DOWNLOAD_DELAY
    "AGGREGATOR_FRONTIER_MAX_TOKEN_WAIT": 120.0,  # then the request goes back to the queue
}


#: The scheduler parts a worker loads (scrapy-redis's, and ours on top of it).
SCHEDULER_CLASSES: Final[dict[str, str]] = {
    "SCHEDULER": "aggregator.frontier.scheduler.FrontierScheduler",
    "SCHEDULER_QUEUE_CLASS": "aggregator.frontier.scheduler.FrontierQueue",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
}


def frontier_components() -> dict[str, dict[str, Any]]:
    """The project's middlewares, extensions and pipelines with the frontier's in place."""
    from aggregator import settings as project

    middlewares = dict(project.DOWNLOADER_MIDDLEWARES)
    # Last before the download handler: a token is held only while the host is contacted.
    middlewares["aggregator.frontier.middleware.FrontierPolitenessMiddleware"] = 950
    extensions = dict(project.EXTENSIONS)
    extensions["aggregator.frontier.extension.FrontierExtension"] = 600
    pipelines = dict(project.ITEM_PIPELINES)
    store = pipelines.pop("aggregator.pipelines.store.StorePipeline", 500)
    pipelines["aggregator.frontier.pipeline.FrontierStorePipeline"] = store
    return {"DOWNLOADER_MIDDLEWARES": middlewares, "EXTENSIONS": extensions,
            "ITEM_PIPELINES": pipelines}  # fmt: skip


def frontier_settings(url: str, job: str, worker: str, *, seeder: bool) -> dict[str, Any]:
    """Settings for one worker of `job` on the Redis at `url`."""
    keys = JobKeys(job)
    return {
        **DEFAULTS,
        "AGGREGATOR_FRONTIER_URL": url,
        "AGGREGATOR_FRONTIER_JOB": job,
        "AGGREGATOR_FRONTIER_WORKER": worker,
        "AGGREGATOR_FRONTIER_SEEDER": seeder,
        # scrapy-redis: its scheduler and duplicate filter, on job-scoped keys; requests
        # as JSON (codec) instead of pickle; never flushed by a closing worker.
        **SCHEDULER_CLASSES,
        "SCHEDULER_QUEUE_KEY": keys.queue,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "DUPEFILTER_KEY": keys.dupefilter,
        "SCHEDULER_SERIALIZER": "aggregator.frontier.codec",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,  # never block the reactor in a BRPOP
        "REDIS_URL": url,
        **frontier_components(),
    }
