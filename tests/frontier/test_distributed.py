"""Four workers, one frontier, one PostgreSQL: each article once, politeness shared.

Real Redis (127.0.0.1:6379, a unique job per test), real PostgreSQL (a fresh schema),
real worker processes (`aggregator worker`), a loopback site of 8 hosts whose article
pages answer after 200 ms and which measures hits and per-host concurrency itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.frontier.idle import read_snapshot
from aggregator.frontier.job import connect, job_status
from aggregator.frontier.keys import JobKeys
from aggregator.frontier.launch import launch_job
from tests.frontier.helpers import options, stored
from tests.frontier.slowsite import SlowSite

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]

HOSTS = [f"127.0.0.{i}" for i in range(2, 10)]  # 8 hosts: distinct Scrapy download slots


def test_four_workers_fetch_each_article_once_within_shared_host_limits(
    pg_url: str, redis_url: str, job_name: str, tmp_path: Path
) -> None:
    with SlowSite(1000, HOSTS, delay=0.2) as site:
        result = launch_job(options(site.sitemaps, pg_url, tmp_path), redis_url, 4,
                            job=job_name)  # fmt: skip
        hits = dict(site.hits)
        peak = dict(site.peak)
        paths = site.all_paths()
        fewest_hosts = site.fewest_hosts(50, 900)
    assert result.exit_codes == [0, 0, 0, 0]
    # The server's log: every article URL fetched, and exactly once.
    assert sorted(hits) == sorted(paths)
    assert set(hits.values()) == {1}
    # 1,000 articles stored once each.
    rows, urls = stored(pg_url)
    assert rows == 1000
    assert {u.split(":", 2)[2].split("/", 1)[1] for u in urls} == {p[1:] for p in paths}
    # Each worker alone may open 2 connections per host (CONCURRENT_REQUESTS_PER_DOMAIN);
    # the shared tokens keep all four together at 2 per host, as the server measured.
    assert len(peak) == len(HOSTS)
    assert max(peak.values()) <= 2
    # Sitemaps go ahead of articles, so the workers spread over the hosts from the start
    # instead of queueing behind one host's tokens while its sitemap's articles drain.
    assert fewest_hosts >= 4
    # One crawl_runs row per worker; the job's totals are their sums.
    assert len(result.workers) == 4
    assert len({w["worker"] for w in result.workers}) == 4
    assert result.totals["items_stored"] == 1000
    assert sum(w["items_stored"] for w in result.workers) == 1000
    assert all(w["pages_fetched"] > 0 for w in result.workers)  # every worker took work
    # The job ended by the rule: nothing queued or leased; the seen set is in Redis.
    server = connect(redis_url)
    snap = read_snapshot(server, JobKeys(job_name))
    assert (snap.queued, snap.leased, snap.seed) == (0, 0, "done")
    assert job_status(server, JobKeys(job_name)) == "finished"
    assert server.scard(JobKeys(job_name).seen("articles")) == 1000


def test_robots_crawl_delay_spaces_every_workers_requests(
    pg_url: str, redis_url: str, job_name: str, tmp_path: Path
) -> None:
    """Crawl-delay acts on each worker's own download slot; the shared gate makes it hold
    for all of them together: one host never gets more GETs than one worker would send.

    Grants are 0.5 s apart on Redis's clock; a granted request may still wait up to one
    delay in its worker's slot, so 5 GETs span at least 4 x 0.5 - 0.5 s.  Without the
    shared delay, two workers send twice as fast (about 1.0 s for 5).
    """
    with SlowSite(24, HOSTS[:2], delay=0.01, crawl_delay=0.5) as site:
        result = launch_job(options(site.sitemaps, pg_url, tmp_path), redis_url, 2,
                            job=job_name)  # fmt: skip
        span = site.min_span(4)
        hits = dict(site.hits)
    assert result.exit_codes == [0, 0]
    assert len(hits) == 24
    assert all(w["pages_fetched"] > 0 for w in result.workers)  # both workers took work
    assert span >= 1.4
