"""crawl_runs of a distributed job: one row per worker, tagged; the job's totals are sums."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aggregator.frontier.runs import job_runs, job_totals, load_job_totals
from aggregator.storage.db import make_engine, session_factory
from aggregator.storage.migrate import upgrade
from aggregator.storage.runs import record_crawl_run

NOW = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)


def test_runs_are_tagged_and_summed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine).begin() as session:
        for worker, stored in (("host-1", 600), ("host-2", 400)):
            stats = {"frontier/job": "j1", "frontier/worker": worker, "store/stored": stored,
                     "downloader/response_count": stored + 5,
                     "validate/dropped/no_body": 1}  # fmt: skip
            record_crawl_run(session, started_at=NOW, finished_at=NOW, sites=[], stats=stats,
                             finish_reason="finished")  # fmt: skip
        record_crawl_run(session, started_at=NOW, finished_at=NOW, sites=[],
                         stats={"store/stored": 7}, finish_reason="finished")  # fmt: skip
    with session_factory(engine)() as session:
        runs = job_runs(session, "j1")
        assert [r.worker_id for r in runs] == ["host-1", "host-2"]
        totals = job_totals(runs)
        assert totals["items_stored"] == 1000
        assert totals["pages_fetched"] == 1010
        assert totals["workers"] == 2
        assert totals["drops_by_reason"] == {"validate/dropped/no_body": 2}
        assert job_runs(session, "other") == []
    engine.dispose()
    rows, totals = load_job_totals(url, "j1")
    assert [r["items_stored"] for r in rows] == [600, 400]
    assert totals["items_stored"] == 1000


def test_a_job_with_the_store_off_ends_without_runs(redis_url: str, job_name: str,
                                                   tmp_path: Path) -> None:  # fmt: skip
    """Nothing records crawl runs with the store off: the job still ends and reports so."""
    from aggregator.frontier.launch import launch_job
    from tests.frontier.helpers import options
    from tests.frontier.slowsite import SlowSite

    db_url = f"sqlite:///{tmp_path / 'none.db'}"
    with SlowSite(6, ["127.0.0.2"], delay=0.0) as site:
        result = launch_job(options(site.sitemaps, db_url, tmp_path,
                                    AGGREGATOR_STORE_ENABLED=False), redis_url, 1,
                            job=job_name)  # fmt: skip
        hits = dict(site.hits)
    assert result.exit_codes == [0]
    assert len(hits) == 6
    assert result.workers == []
    assert result.totals["workers"] == 0
