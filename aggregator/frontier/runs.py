"""A job's crawl runs: one `crawl_runs` row per worker; the job's totals are their sums."""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.storage.models_runs import CrawlRun

#: Counters summed over a job's workers.
SUMMED: Final = ("pages_fetched", "items_scraped", "items_stored", "items_inserted",
                 "items_updated", "duplicates", "items_dropped", "errors", "items_failed")


def job_runs(session: Session, job: str) -> list[CrawlRun]:
    """The runs recorded for `job`, oldest first."""
    stmt = select(CrawlRun).where(CrawlRun.frontier_job == job).order_by(CrawlRun.id)
    return list(session.scalars(stmt))


def job_totals(runs: list[CrawlRun]) -> dict[str, Any]:
    """Sums of the counters, the number of workers and the drop reasons merged."""
    totals: dict[str, Any] = {name: sum(getattr(r, name) or 0 for r in runs) for name in SUMMED}
    drops: dict[str, int] = {}
    for run in runs:
        for reason, count in (run.drops_by_reason or {}).items():
            drops[reason] = drops.get(reason, 0) + int(count)
    totals["workers"] = len(runs)
    totals["drops_by_reason"] = drops
    return totals


def load_job_totals(db_url: str, job: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-worker rows and the totals, read from the database at `db_url`."""
    from aggregator.storage.db import make_engine, session_factory

    engine = make_engine(db_url)
    try:
        with session_factory(engine)() as session:
            runs = job_runs(session, job)
            rows = [{"worker": r.worker_id, "finish_reason": r.finish_reason,
                     **{name: getattr(r, name) for name in SUMMED}} for r in runs]  # fmt: skip
            return rows, job_totals(runs)
    finally:
        engine.dispose()
