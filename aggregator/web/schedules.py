"""The dashboard's one adapter to scheduled jobs (`aggregator.jobs`).

Everything the dashboard knows about schedules goes through these functions.  On a
database from before revision 0013_jobs (no `schedules` table) they return nothing and
the pages say "no scheduled jobs".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from aggregator.jobs.catalog import JobInfo, list_jobs
from aggregator.jobs.models import Schedule

SCHEDULES_TABLE = "schedules"


def _jobs(session: Session, now: dt.datetime | None = None) -> list[JobInfo]:
    """Every scheduled job, or [] when the database has no schedules table."""
    if not inspect(session.connection()).has_table(SCHEDULES_TABLE):
        return []
    return list_jobs(session, now)


def list_schedules(session: Session, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every scheduled job as a JSON-ready dict (next due, last outcome, failures...)."""
    return [job.as_json() for job in _jobs(session, now)]


def scheduler_lag_seconds(session: Session, now: dt.datetime) -> dict[str, float]:
    """Per active job: how late its next run is (now - next_due_at when overdue, else 0)."""
    lag = {}
    for job in _jobs(session, now):
        if job.paused:
            continue
        due = job.next_due_at if job.next_due_at.tzinfo else job.next_due_at.replace(tzinfo=dt.UTC)
        lag[job.name] = max(0.0, (now - due).total_seconds())
    return lag


def job_names(session: Session, job_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the scheduled jobs behind some crawl runs (id -> name)."""
    ids = {i for i in job_ids if i is not None}
    if not ids or not inspect(session.connection()).has_table(SCHEDULES_TABLE):
        return {}
    rows = session.execute(select(Schedule.id, Schedule.name).where(Schedule.id.in_(ids)))
    return {int(i): str(n) for i, n in rows}


def run_trigger(job_id: int | None, trigger: str | None,
                names: dict[int, str]) -> dict[str, Any] | None:  # fmt: skip
    """The scheduler's job and trigger behind a crawl run, when one is recorded."""
    if job_id is None and trigger is None:
        return None
    return {"job": names.get(job_id) if job_id is not None else None, "job_id": job_id,
            "trigger": trigger}  # fmt: skip
