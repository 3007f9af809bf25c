"""Run one frontier worker in this process: `run_worker(WorkerOptions(...)) -> CrawlSummary`.

The worker reads the job's spider arguments from Redis, claims the seeding if nobody has,
and crawls from the shared queue until the job is done.  Like `run_crawl`, it runs once
per process (the Twisted reactor cannot be restarted), and stops on SIGINT/SIGTERM the
same way (`aggregator.interrupt`): the requests it took and did not fetch go back to the
shared queue for the other workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aggregator.crawler import (
    CrawlOptions,
    attach_interrupts,
    build_settings,
    check_database,
    install_interrupts,
)
from aggregator.extensions import CrawlSummary, Progress, summarize
from aggregator.frontier import job as jobs
from aggregator.frontier.runtime import default_worker_id
from aggregator.frontier.settings import frontier_settings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class WorkerOptions:
    """Which job to join, and where to store."""

    frontier_url: str
    job: str
    db_url: str | None = None
    worker_id: str | None = None
    log_level: str = "WARNING"
    settings: dict[str, Any] = field(default_factory=dict)  # `-s NAME=VALUE` overrides
    progress: Callable[[Progress], None] | None = None


def run_worker(options: WorkerOptions) -> CrawlSummary:
    """Crawl for the job until it is done; the summary of this worker's share."""
    from scrapy.crawler import CrawlerProcess

    from aggregator.frontier.spider import FrontierNewsSpider

    server = jobs.connect(options.frontier_url)
    info = jobs.read_job(server, options.job)
    if info.status == "finished":
        return summarize({"finish_reason": "job already finished"})
    worker = options.worker_id or default_worker_id()
    keys = jobs.JobKeys(info.name)
    seeder = jobs.claim_seeding(server, keys, worker)
    server.close()
    overrides = {**frontier_settings(options.frontier_url, info.name, worker, seeder=seeder),
                 **options.settings}  # fmt: skip
    crawl = CrawlOptions(db_url=options.db_url, log_level=options.log_level,
                         settings=overrides, progress=options.progress)  # fmt: skip
    settings = build_settings(crawl)
    interrupts = install_interrupts(settings)  # SIGINT/SIGTERM as in `run_crawl`
    check_database(settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(FrontierNewsSpider)
    attach_interrupts(interrupts, crawler)  # a stop hands taken requests back to the queue
    fatal: list[str] = []

    def _failed(failure: Any) -> None:
        fatal.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")
        log.error("Worker failed: %s", fatal[-1])

    process.crawl(crawler, **info.spider_kwargs).addErrback(_failed)
    try:
        process.start(install_signal_handlers=False)  # ours are installed (above)
    finally:
        interrupts.finished()
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    summary = summarize(stats, fatal=fatal[0] if fatal else None)
    summary.interrupted, summary.exit_code = interrupts.name, interrupts.code
    return summary
