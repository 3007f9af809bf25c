"""One worker's frontier objects, shared by its scheduler, middleware, extension, pipeline
and spider (one per crawler, built from the `AGGREGATOR_FRONTIER_*` settings)."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from typing import Any, Final

from aggregator.exceptions import ConfigError
from aggregator.frontier.job import connect
from aggregator.frontier.keys import JobKeys, check_job_name
from aggregator.frontier.leases import LeaseBook, Leases
from aggregator.frontier.politeness import HostTokens

log = logging.getLogger(__name__)

#: Request meta keys the frontier sets; never sent through Redis (see scheduler.py).
LEASE_META: Final = "frontier_lease"
TOKEN_META: Final = "frontier_host_token"  # noqa: S105 (a meta key, not a secret)
LOCAL_META: Final = (LEASE_META, TOKEN_META)


def default_worker_id() -> str:
    """`<hostname>-<pid>`: unique per process on one machine, readable in crawl_runs."""
    return f"{socket.gethostname()}-{os.getpid()}"


@dataclass(slots=True)
class FrontierRuntime:
    """The frontier state of one worker process."""

    server: Any
    keys: JobKeys
    worker: str
    seeder: bool
    leases: Leases
    book: LeaseBook
    tokens: HostTokens | None
    idle_seconds: float
    heartbeat: float
    dead_after: float
    store: Any = None  # the FrontierStorePipeline, when the store is on
    extra: dict[str, Any] = field(default_factory=dict)

    def store_idle(self) -> bool:
        """True when no item handed to the store is still uncommitted."""
        return self.store is None or bool(self.store.durable)


def build_runtime(settings: Any) -> FrontierRuntime:
    """Connect to the job named by the settings (ConfigError if they are incomplete)."""
    url, job = settings.get("AGGREGATOR_FRONTIER_URL"), settings.get("AGGREGATOR_FRONTIER_JOB")
    if not url or not job:
        raise ConfigError("frontier components need AGGREGATOR_FRONTIER_URL and "
                          "AGGREGATOR_FRONTIER_JOB")  # fmt: skip
    server = connect(url)
    keys = JobKeys(check_job_name(job))
    worker = settings.get("AGGREGATOR_FRONTIER_WORKER") or default_worker_id()
    leases = Leases(server, keys, worker, settings.getfloat("AGGREGATOR_FRONTIER_LEASE_TIMEOUT"))
    tokens = None
    if settings.getbool("AGGREGATOR_FRONTIER_POLITENESS", True):
        limit = settings.getint("AGGREGATOR_FRONTIER_HOST_CONCURRENCY") or settings.getint(
            "CONCURRENT_REQUESTS_PER_DOMAIN", 8)
        delay = settings.get("AGGREGATOR_FRONTIER_HOST_DELAY")
        delay = settings.getfloat("DOWNLOAD_DELAY") if delay is None else float(delay)
        # A download cannot outlast DOWNLOAD_TIMEOUT: past that (plus a margin) the
        # holder is dead and its token lapses.
        ttl = settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 5
        tokens = HostTokens(server, keys, limit=limit, delay=delay, ttl=ttl)
    return FrontierRuntime(
        server=server, keys=keys, worker=worker,
        seeder=settings.getbool("AGGREGATOR_FRONTIER_SEEDER"), leases=leases,
        book=LeaseBook(leases), tokens=tokens,
        idle_seconds=settings.getfloat("AGGREGATOR_FRONTIER_IDLE_SECONDS"),
        heartbeat=settings.getfloat("AGGREGATOR_FRONTIER_HEARTBEAT"),
        dead_after=settings.getfloat("AGGREGATOR_FRONTIER_DEAD_AFTER"),
    )  # fmt: skip


def runtime_for(crawler: Any) -> FrontierRuntime:
    """The crawler's runtime, built on first use."""
    runtime = getattr(crawler, "aggregator_frontier", None)
    if runtime is None:
        runtime = build_runtime(crawler.settings)
        crawler.aggregator_frontier = runtime
    return runtime
