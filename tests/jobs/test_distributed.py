"""A distributed scheduled job, end to end: two schedulers share PostgreSQL, one claims the
slot, and its crawl runs two workers through the Redis frontier.

Real PostgreSQL (a fresh schema), real Redis, the real `aggregator crawl` started by the
scheduler, a loopback site that counts every article GET.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select

from aggregator.frontier.job import delete_job
from aggregator.frontier.keys import JobKeys
from aggregator.jobs.catalog import add_schedule
from aggregator.jobs.models import JobRun
from aggregator.jobs.specs import StartOptions
from aggregator.jobs.timing import Cadence
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import ensure_schema
from aggregator.storage.models_runs import CrawlRun
from tests.frontier.conftest import require_redis
from tests.frontier.helpers import FAST, stored
from tests.frontier.slowsite import SlowSite
from tests.jobs.scheduler_worker import tick_over

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(300)]

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
HOSTS = ["127.0.0.2", "127.0.0.3"]
ARTICLES = 40


def test_a_distributed_job_is_claimed_once_and_crawled_by_its_workers(
    pg_url: str, tmp_path: Path
) -> None:
    redis_url = "redis://127.0.0.1:6379/0"
    client = require_redis(redis_url)
    engine = make_engine(pg_url)
    ensure_schema(engine)
    sessions = session_factory(engine)
    with SlowSite(ARTICLES, HOSTS, delay=0.05) as site:
        settings = [f"{k}={v}" for k, v in FAST.items()]
        settings.append(f"AGGREGATOR_STORE_DEAD_LETTER={tmp_path}/dead.jsonl")
        spec = StartOptions(sitemaps=site.sitemaps, settings=settings, log_level="WARNING",
                            frontier=redis_url, workers=2)  # fmt: skip
        with sessions.begin() as session:
            add_schedule(session, "dist", spec, Cadence(every_s=3600), now=T0)
        # Two machines' schedulers tick at the same moment; each runs what it claims.
        ctx = multiprocessing.get_context("spawn")
        barrier, results = ctx.Barrier(2), ctx.Queue()
        procs = [ctx.Process(target=tick_over,
                             args=(pg_url, T0, 1, 60.0, owner, barrier, results))
                 for owner in ("m1", "m2")]  # fmt: skip
        for proc in procs:
            proc.start()
        claimed = dict(results.get(timeout=240) for _ in procs)
        for proc in procs:
            proc.join(30)
        hits = dict(site.hits)
        paths = site.all_paths()
    with sessions() as session:
        job_runs = list(session.scalars(select(JobRun)))
        crawl_runs = list(session.scalars(select(CrawlRun)))
    frontier_jobs = {r.frontier_job for r in crawl_runs}
    for name in frontier_jobs - {None}:
        delete_job(client, JobKeys(str(name)))
    client.close()
    engine.dispose()
    assert [p.exitcode for p in procs] == [0, 0]
    assert sorted(claimed.values()) == [0, 1]  # one machine claimed the slot
    assert [(r.slot_at, r.outcome) for r in job_runs] == [(T0, "success")]
    # Its crawl ran as one frontier job with two workers, one crawl_runs row each.
    assert len(frontier_jobs) == 1
    assert None not in frontier_jobs
    assert len(crawl_runs) == 2
    assert len({r.worker_id for r in crawl_runs}) == 2
    # Every article fetched exactly once between them, and stored once.
    assert sorted(hits) == sorted(paths)
    assert set(hits.values()) == {1}
    rows, _ = stored(pg_url)
    assert rows == ARTICLES
