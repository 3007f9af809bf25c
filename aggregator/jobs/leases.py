"""Claiming due jobs under a lease, renewing, finishing and reclaiming leases; site locks.

Every function works inside the caller's transaction.  Callers open it the way
`aggregator.storage.db.session_factory` does for writers: SQLite `BEGIN IMMEDIATE`
(one claimer at a time holds the write lock), PostgreSQL READ COMMITTED with
`SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent schedulers each take different rows and
none waits for another.  A slot is claimed at most once also by construction: the unique
key (schedule_id, slot_at) of `job_runs`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from aggregator.jobs.models import (
    ABANDONED,
    RUNNING,
    SUCCESS,
    JobRun,
    Schedule,
    SiteLock,
)
from aggregator.jobs.timing import (
    FAILURES_BEFORE_BACKOFF,
    Cadence,
    adapt_interval,
    backoff_delay,
    jitter_offset,
)
from aggregator.storage.dialect import dialect_name, insert_for
from aggregator.storage.models_runs import CrawlRun


@dataclass(frozen=True, slots=True)
class Claim:
    """A claimed job run, with what is needed to start its crawl."""

    run_id: int
    schedule_id: int | None
    name: str
    trigger: str
    slot_at: dt.datetime
    crawl_args: list[str]
    max_runtime_s: int | None


def cadence_of(schedule: Schedule) -> Cadence:
    """The job's cadence (a cron job ignores `every_s`)."""
    if schedule.cron:
        return Cadence(cron=schedule.cron)
    return Cadence(every_s=schedule.every_s)


def locking(session: Session, stmt: Select[Any]) -> Select[Any]:
    """`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite already holds the write lock."""
    if dialect_name(session) == "postgresql":
        return stmt.with_for_update(skip_locked=True)
    return stmt


def reclaim_expired(session: Session, now: dt.datetime) -> list[int]:
    """Mark runs whose lease lapsed (their scheduler died) `abandoned`; free their job and sites."""
    stmt = select(JobRun).where(JobRun.outcome == RUNNING, JobRun.lease_expires_at < now)
    runs: list[JobRun] = list(session.scalars(locking(session, stmt.order_by(JobRun.id))))
    for run in runs:
        run.outcome = ABANDONED
        run.finished_at = now
        run.message = (f"lease expired at {run.lease_expires_at.isoformat()}: "
                       f"{run.owner} stopped renewing it")  # fmt: skip
        session.execute(delete(SiteLock).where(SiteLock.job_run_id == run.id))
        schedule = session.get(Schedule, run.schedule_id) if run.schedule_id else None
        if schedule is not None and schedule.current_run_id == run.id:
            schedule.current_run_id = None
            record_outcome(schedule, run, ABANDONED, None)
    session.flush()
    return [run.id for run in runs]


def lock_sites(session: Session, sites: list[str], run_id: int, expires_at: dt.datetime,
               now: dt.datetime) -> bool:  # fmt: skip
    """Take every site lock for `run_id`, or none: False when another live run holds one.

    `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired` takes a free or expired lock in one
    statement; on PostgreSQL a concurrent claimer of the same site waits for our commit and
    then finds it taken.  Sites are locked in sorted order, so two claimers cannot deadlock.
    """
    for site in sorted(set(sites)):
        stmt = insert_for(session, SiteLock.__table__).values(
            site=site, job_run_id=run_id, expires_at=expires_at)
        stmt = stmt.on_conflict_do_update(
            index_elements=["site"],
            set_={"job_run_id": stmt.excluded.job_run_id, "expires_at": stmt.excluded.expires_at},
            where=SiteLock.__table__.c.expires_at < now,
        ).returning(SiteLock.__table__.c.site)
        if session.execute(stmt).first() is None:
            return False
    return True


def busy_sites(session: Session, sites: list[str], now: dt.datetime) -> list[str]:
    """The sites among `sites` that a live run holds now."""
    if not sites:
        return []
    rows = session.scalars(select(SiteLock.site).where(
        SiteLock.site.in_(sites), SiteLock.expires_at >= now))  # fmt: skip
    return sorted(rows)


def claim_manual(session: Session, schedule: Schedule, now: dt.datetime, owner: str,
                 lease_s: int) -> Claim:  # fmt: skip
    """Claim a run of `schedule` now (trigger `manual`); its regular slots stay as they are."""
    from aggregator.exceptions import ConfigError

    reclaim_expired(session, now)
    session.refresh(schedule, with_for_update=dialect_name(session) == "postgresql")
    if schedule.current_run_id is not None:
        raise ConfigError(f"job {schedule.name!r} is running (run {schedule.current_run_id})")
    expires = now + dt.timedelta(seconds=lease_s)
    with session.begin_nested() as savepoint:
        run = JobRun(schedule_id=schedule.id, trigger="manual", slot_at=now, owner=owner,
                     claimed_at=now, lease_expires_at=expires, outcome=RUNNING)  # fmt: skip
        session.add(run)
        session.flush()
        if not lock_sites(session, schedule.sites, run.id, expires, now):
            savepoint.rollback()
            busy = ", ".join(busy_sites(session, schedule.sites, now))
            raise ConfigError(f"job {schedule.name!r}: site {busy} is being crawled by another run")
    schedule.current_run_id = run.id
    session.flush()
    return Claim(run.id, schedule.id, schedule.name, "manual", now, list(schedule.crawl_args),
                 schedule.max_runtime_s)  # fmt: skip


def due_time(schedule: Schedule) -> dt.datetime:
    """When the next slot is due: the slot, its jitter, and the back-off of a failing job."""
    interval = schedule.interval_s or schedule.every_s or 3600
    extra = jitter_offset(schedule.name, schedule.next_slot_at, schedule.jitter_s)
    extra += backoff_delay(schedule.consecutive_failures, interval)
    return schedule.next_slot_at + dt.timedelta(seconds=extra)


def renew(session: Session, run_ids: list[int], now: dt.datetime, lease_s: int) -> set[int]:
    """Extend the leases (and site locks) of our live runs; returns the ids still ours."""
    if not run_ids:
        return set()
    expires = now + dt.timedelta(seconds=lease_s)
    live = set(session.scalars(select(JobRun.id).where(
        JobRun.id.in_(run_ids), JobRun.outcome == RUNNING)))  # fmt: skip
    if live:
        session.execute(update(JobRun).where(JobRun.id.in_(live)).values(lease_expires_at=expires))
        session.execute(update(SiteLock).where(SiteLock.job_run_id.in_(live))
                        .values(expires_at=expires))  # fmt: skip
    return live


def release_unstarted(session: Session, run_id: int) -> None:
    """Give back a claim whose crawl never started (the scheduler is stopping): due again."""
    run = session.get(JobRun, run_id)
    if run is None or run.outcome != RUNNING:
        return
    session.execute(delete(SiteLock).where(SiteLock.job_run_id == run_id))
    schedule = session.get(Schedule, run.schedule_id) if run.schedule_id else None
    if schedule is not None and schedule.current_run_id == run_id:
        schedule.current_run_id = None
        schedule.next_slot_at = run.slot_at
        schedule.next_due_at = run.slot_at
    session.delete(run)
    session.flush()


def finish(session: Session, run_id: int, outcome: str, now: dt.datetime, *,
           exit_code: int | None = None, signal: int | None = None,
           message: str | None = None) -> JobRun | None:  # fmt: skip
    """Record how a run ended, link its crawl_runs row, free its job and sites."""
    run = session.get(JobRun, run_id)
    if run is None:
        return None
    crawl = session.scalars(select(CrawlRun).where(CrawlRun.job_run_id == run_id)
                            .order_by(CrawlRun.id.desc()).limit(1)).first()  # fmt: skip
    if crawl is not None:
        run.crawl_run_id = crawl.id
        run.articles_new = crawl.items_inserted
    if run.outcome != RUNNING:  # reclaimed meanwhile (we stalled past the lease): keep that
        run.message = (run.message or "") + f"; the crawl later ended as {outcome}"
        return run
    run.outcome, run.finished_at = outcome, now
    run.exit_code, run.signal, run.message = exit_code, signal, message
    session.execute(delete(SiteLock).where(SiteLock.job_run_id == run_id))
    schedule = session.get(Schedule, run.schedule_id) if run.schedule_id else None
    if schedule is not None and schedule.current_run_id == run_id:
        schedule.current_run_id = None
        record_outcome(schedule, run, outcome, run.articles_new if outcome == SUCCESS else None)
    session.flush()
    return run


def record_outcome(schedule: Schedule, run: JobRun, outcome: str,
                   new_articles: int | None) -> None:  # fmt: skip
    """Update the job's history fields, its adaptive interval and back-off."""
    schedule.last_run_at = run.claimed_at
    schedule.last_outcome = outcome
    if outcome == SUCCESS:
        schedule.consecutive_failures = 0
        schedule.last_success_at = run.finished_at or run.claimed_at
    else:  # failed, timeout, abandoned
        schedule.consecutive_failures += 1
    cadence = cadence_of(schedule)
    if schedule.adaptive and schedule.every_s and outcome == SUCCESS:
        current = schedule.interval_s or schedule.every_s
        adapted = adapt_interval(current, schedule.every_s, new_articles)
        if adapted != current:
            schedule.interval_s = adapted
            schedule.next_slot_at = cadence.next_after(run.slot_at, run.claimed_at, adapted)
    schedule.next_due_at = due_time(schedule)


def is_failing(schedule: Schedule) -> bool:
    """A job that failed often enough to back off."""
    return schedule.consecutive_failures >= FAILURES_BEFORE_BACKOFF
