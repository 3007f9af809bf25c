"""Faults: a worker killed with SIGKILL, Redis restarted mid-job, and scrapy-redis as shipped.

Same loopback site as test_distributed (4 hosts, slow article pages), real Redis, real
PostgreSQL, real worker processes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aggregator.frontier.job import connect, delete_job, job_status
from aggregator.frontier.keys import JobKeys
from aggregator.frontier.launch import start_workers, wait_for_job
from aggregator.frontier.runs import load_job_totals
from aggregator.storage.db import make_engine
from aggregator.storage.migrate import ensure_schema
from tests.frontier.conftest import PrivateRedis
from tests.frontier.helpers import options, stored, wait_until
from tests.frontier.slowsite import SlowSite

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]

HOSTS = [f"127.0.0.{i}" for i in range(2, 6)]
ROOT = Path(__file__).resolve().parents[2]


def hits(site: SlowSite) -> int:
    with site.lock:
        return sum(site.hits.values())


def test_sigkill_of_one_worker_loses_nothing(pg_url: str, redis_url: str, job_name: str,
                                             tmp_path: Path) -> None:  # fmt: skip
    with SlowSite(1000, HOSTS, delay=0.05) as site:
        opts = options(site.sitemaps, pg_url, tmp_path, AGGREGATOR_FRONTIER_LEASE_TIMEOUT=3.0,
                       DOWNLOAD_TIMEOUT=5)  # fmt: skip
        name, procs = start_workers(opts, redis_url, 3, job=job_name)
        wait_until(lambda: hits(site) >= 250, 180, "250 articles fetched")
        os.kill(procs[1].pid, signal.SIGKILL)  # mid-job, holding leases and a store buffer
        codes = wait_for_job(redis_url, name, procs)
        fetched = dict(site.hits)
        paths = site.all_paths()
    assert codes[1] == -signal.SIGKILL
    assert codes[0] == codes[2] == 0
    rows, urls = stored(pg_url)
    assert (rows, len(urls)) == (1000, 1000)  # all 1,000 stored, once each
    assert sorted(fetched) == sorted(paths)
    workers, totals = load_job_totals(pg_url, name)
    assert len(workers) == totals["workers"] == 2  # the killed worker never recorded its run
    assert all(w["finish_reason"] == "finished" for w in workers)
    reclaimed = _stat_sum(pg_url, name, "frontier/reclaimed")
    assert reclaimed >= 1  # the dead worker's leases came back to the queue
    assert job_status(connect(redis_url), JobKeys(name)) == "finished"


def test_sigterm_of_one_worker_hands_its_requests_back(
    pg_url: str, redis_url: str, job_name: str, tmp_path: Path
) -> None:
    """A worker stopped gracefully gives the requests it took and did not fetch back to the
    shared queue at once: nothing is failed `interrupted`, nothing waits for a lease to
    expire (the lease timeout is longer than the test), and the others finish the job."""
    with SlowSite(1000, HOSTS, delay=0.05) as site:
        opts = options(site.sitemaps, pg_url, tmp_path, AGGREGATOR_FRONTIER_LEASE_TIMEOUT=600.0,
                       CONCURRENT_REQUESTS=16)  # a queue in the downloader to hand back
        name, procs = start_workers(opts, redis_url, 3, job=job_name)
        wait_until(lambda: hits(site) >= 250, 180, "250 articles fetched")
        os.kill(procs[1].pid, signal.SIGTERM)
        codes = wait_for_job(redis_url, name, procs)
        fetched = dict(site.hits)
        paths = site.all_paths()
    assert codes == [0, 128 + signal.SIGTERM, 0]
    rows, urls = stored(pg_url)
    assert (rows, len(urls)) == (1000, 1000)  # all 1,000 stored, once each
    assert sorted(fetched) == sorted(paths)
    assert max(fetched.values()) == 1  # a handed-back request is fetched by one worker
    workers, _ = load_job_totals(pg_url, name)
    reasons = sorted(w["finish_reason"] for w in workers)
    assert reasons == ["finished", "finished", "interrupted_sigterm"]
    assert _stat_sum(pg_url, name, "interrupt/handed_back") >= 1
    assert _stat_sum(pg_url, name, "frontier/reclaimed") == 0  # not by lease expiry
    assert _failed_interrupted(pg_url) == 0
    assert job_status(connect(redis_url), JobKeys(name)) == "finished"


def _failed_interrupted(db_url: str) -> int:
    from sqlalchemy import func, select

    from aggregator.storage.db import session_factory
    from aggregator.storage.models import FailedFetch

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            return int(session.scalar(select(func.count()).select_from(FailedFetch).where(
                FailedFetch.reason.contains("interrupt"))) or 0)
    finally:
        engine.dispose()


def _stat_sum(db_url: str, job: str, key: str) -> int:
    from sqlalchemy import select

    from aggregator.storage.db import session_factory
    from aggregator.storage.models_runs import CrawlRun

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            runs = session.scalars(select(CrawlRun).where(CrawlRun.frontier_job == job))
            return sum(int(r.stats.get(key, 0)) for r in runs)
    finally:
        engine.dispose()


def test_redis_restart_mid_job_resumes_and_completes(
    pg_url: str, private_redis: PrivateRedis, job_name: str, tmp_path: Path
) -> None:
    with SlowSite(300, HOSTS, delay=0.1) as site:
        opts = options(site.sitemaps, pg_url, tmp_path)
        name, procs = start_workers(opts, private_redis.url, 2, job=job_name)
        wait_until(lambda: hits(site) >= 80, 180, "80 articles fetched")
        private_redis.stop()  # SIGTERM; the append-only file is on disk
        time.sleep(1.0)
        private_redis.start()  # same port, same directory: the job's keys come back
        codes = wait_for_job(private_redis.url, name, procs)
        fetched = dict(site.hits)
        paths = site.all_paths()
    assert codes == [0, 0]
    rows, urls = stored(pg_url)
    assert (rows, len(urls)) == (300, 300)
    assert sorted(fetched) == sorted(paths)
    assert job_status(connect(private_redis.url), JobKeys(name)) == "finished"


def stock_worker(redis_url: str, prefix: str, db_url: str, role: str,
                 sitemaps: list[str]) -> subprocess.Popen[str]:  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "tests.frontier.stock_worker", redis_url,
                             prefix, db_url, role, *sitemaps], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip


def stock_result(proc: subprocess.Popen[str]) -> dict[str, int]:
    out, _ = proc.communicate(timeout=240)
    line = [ln for ln in out.splitlines() if ln.startswith("STOCK-RESULT ")][-1]
    return dict(json.loads(line.split(" ", 1)[1]))


def test_scrapy_redis_defaults_lose_work(pg_url: str, redis_url: str, job_name: str,
                                         tmp_path: Path) -> None:  # fmt: skip
    """The same job on scrapy-redis as shipped: a worker that finds the queue empty exits
    at once, and a SIGKILLed worker's requests are gone (test above: ours lose nothing)."""
    prefix = f"aggregator:frontier:{job_name}:stock"  # deleted with the job's keys
    engine = make_engine(pg_url)
    ensure_schema(engine)
    engine.dispose()
    with SlowSite(1000, HOSTS, delay=0.05) as site:
        early = stock_worker(redis_url, prefix, pg_url, "join", site.sitemaps)
        idle_exit = stock_result(early)  # nothing queued yet: it closes instead of waiting
        seeder = stock_worker(redis_url, prefix, pg_url, "seed", site.sitemaps)
        client = connect(redis_url)
        wait_until(lambda: client.zcard(f"{prefix}:requests") >= 20, 120, "requests queued")
        helper = stock_worker(redis_url, prefix, pg_url, "join", site.sitemaps)
        wait_until(lambda: hits(site) >= 250, 180, "250 articles fetched")
        os.kill(helper.pid, signal.SIGKILL)
        helper.wait(timeout=30)
        seeder_result = stock_result(seeder)
        fetched = dict(site.hits)
    assert idle_exit == {"pages": 0, "articles": 0}
    assert seeder_result["articles"] > 0
    rows, _ = stored(pg_url)
    lost = 1000 - rows
    assert lost > 0, "scrapy-redis as shipped kept every article: the comparison is void"
    assert len(fetched) <= 1000


@pytest.mark.parametrize(("target", "reason"), [
    ("group", "interrupted_sigint"),  # Ctrl-C in a terminal: launcher and workers
    ("launcher", "interrupted_sigterm"),  # `kill -INT <launcher>`: the launcher alone
])  # fmt: skip
def test_ctrl_c_of_the_launcher_lets_its_workers_stop_gracefully(
    target: str, reason: str, pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    """Ctrl-C in a terminal reaches `aggregator crawl --workers N` and its workers (one
    process group).  The workers must stop on that first signal, handing back what they
    took and storing what they fetched; the launcher must not signal them a second time,
    which would force their stop (no run recorded, what they hold dead-lettered).  When
    the signal reaches the launcher alone, it waits out the workers' stop bound and then
    gives them SIGTERM, their first signal."""
    dead = tmp_path / "dead.jsonl"
    with SlowSite(3000, HOSTS, delay=0.2) as site:
        sitemaps = [arg for url in site.sitemaps for arg in ("--sitemap", url)]
        settings = {"AUTOTHROTTLE_ENABLED": "false", "DOWNLOAD_DELAY": "0",
                    "AGGREGATOR_FRONTIER_LEASE_TIMEOUT": "600", "CONCURRENT_REQUESTS": "16",
                    "AGGREGATOR_INTERRUPT_GRACE": "2", "AGGREGATOR_STORE_DEAD_LETTER": str(dead)}
        argv = [sys.executable, "-m", "aggregator.cli.main", "crawl", *sitemaps, "--db", pg_url,
                "--frontier", redis_url, "--workers", "2",
                *[arg for k, v in settings.items() for arg in ("-s", f"{k}={v}")]]  # fmt: skip
        launcher = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, start_new_session=True,
                                    env={**os.environ, "COLUMNS": "300"})  # fmt: skip
        try:
            wait_until(lambda: hits(site) >= 150, 180, "150 articles fetched")
            if target == "group":
                os.killpg(launcher.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
            else:
                os.kill(launcher.pid, signal.SIGINT)
            _, err = launcher.communicate(timeout=120)
        finally:
            if launcher.poll() is None:
                os.killpg(launcher.pid, signal.SIGKILL)
        fetched = {path for path, n in site.hits.items() if n}
    assert launcher.returncode == 130, err
    name = err.split("job ", 1)[1].split(":", 1)[0]  # the join line, printed at the start
    try:
        workers, _ = load_job_totals(pg_url, name)
        assert sorted(w["finish_reason"] for w in workers) == [reason] * 2
        rows, _ = stored(pg_url)
        assert 150 <= rows == len(fetched) < 3000  # every article fetched was stored
        assert not dead.exists() or dead.read_text() == ""  # nothing dead-lettered
        assert _failed_interrupted(pg_url) == 0
        assert _stat_sum(pg_url, name, "interrupt/handed_back") >= 1
    finally:
        delete_job(connect(redis_url), JobKeys(name))
