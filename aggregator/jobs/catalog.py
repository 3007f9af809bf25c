"""Adding, changing and reading schedules; `list_jobs` is the read API for dashboards."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aggregator.exceptions import ConfigError
from aggregator.jobs.leases import due_time, is_failing
from aggregator.jobs.models import JobRun, Schedule, SiteLock
from aggregator.jobs.specs import StartOptions, check_name
from aggregator.jobs.timing import Cadence, format_duration


@dataclass(frozen=True, slots=True)
class JobInfo:
    """One job as `schedule list` and the dashboard show it."""

    name: str
    cadence: str  # "every 15m" or "cron */15 * * * *"
    interval_s: int | None  # current (adapted) interval of an --every job
    adaptive: bool
    sites: list[str]
    crawl_args: list[str]
    paused: bool
    running: bool
    next_due_at: dt.datetime
    last_run_at: dt.datetime | None
    last_outcome: str | None
    last_success_at: dt.datetime | None
    success_age_s: float | None  # seconds since the last successful run
    consecutive_failures: int
    failing: bool

    def as_json(self) -> dict[str, Any]:
        """JSON-ready dict (ISO datetimes)."""
        return {k: v.isoformat() if isinstance(v, dt.datetime) else v
                for k, v in asdict(self).items()}  # fmt: skip


@dataclass(frozen=True, slots=True)
class RunInfo:
    """One past or running job run."""

    id: int
    trigger: str
    slot_at: dt.datetime
    claimed_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    exit_code: int | None
    signal: int | None
    crawl_run_id: int | None
    articles_new: int | None
    owner: str
    message: str | None

    def as_json(self) -> dict[str, Any]:
        """JSON-ready dict (ISO datetimes)."""
        return {k: v.isoformat() if isinstance(v, dt.datetime) else v
                for k, v in asdict(self).items()}  # fmt: skip


def add_schedule(session: Session, name: str, options: StartOptions, cadence: Cadence, *,
                 now: dt.datetime, jitter_s: int = 0, max_runtime_s: int | None = None,
                 adaptive: bool = False) -> Schedule:  # fmt: skip
    """Create a job (ConfigError for a taken name or options `aggregator crawl` refuses)."""
    name = check_name(name)
    options.validate()
    if adaptive and cadence.every_s is None:
        raise ConfigError("--adaptive needs --every (a cron expression fixes its own times)")
    if session.scalar(select(Schedule.id).where(Schedule.name == name)) is not None:
        raise ConfigError(f"a job named {name!r} already exists")
    first = cadence.first_due(now)
    schedule = Schedule(name=name, crawl_args=options.argv(), sites=options.lock_keys(),
                        every_s=cadence.every_s, cron=cadence.cron, jitter_s=jitter_s,
                        max_runtime_s=max_runtime_s, adaptive=adaptive,
                        interval_s=cadence.every_s, paused=False, created_at=now,
                        next_slot_at=first, next_due_at=first, consecutive_failures=0)  # fmt: skip
    if cadence.cron is not None:  # a new --every job is due at once; jitter the rest
        schedule.next_due_at = due_time(schedule)
    session.add(schedule)
    session.flush()
    return schedule


def get_schedule(session: Session, name: str) -> Schedule:
    """The job called `name`, or ConfigError naming the known jobs."""
    schedule = session.scalar(select(Schedule).where(Schedule.name == name))
    if schedule is None:
        known = ", ".join(session.scalars(select(Schedule.name).order_by(Schedule.name))) or "none"
        raise ConfigError(f"no job named {name!r}; known jobs: {known}")
    return schedule


def set_paused(session: Session, name: str, paused: bool, now: dt.datetime) -> Schedule:
    """Pause or resume a job; a resumed job is due at its next slot after now (no burst)."""
    schedule = get_schedule(session, name)
    if schedule.paused and not paused and schedule.next_due_at < now:
        schedule.next_slot_at = _next_slot_from(schedule, now)
        schedule.next_due_at = due_time(schedule)
    schedule.paused = paused
    session.flush()
    return schedule


def _next_slot_from(schedule: Schedule, now: dt.datetime) -> dt.datetime:
    """The first slot at or after `now` of a resumed job."""
    from aggregator.jobs.leases import cadence_of

    cadence = cadence_of(schedule)
    slot = cadence.slot_at(schedule.next_slot_at, now, schedule.interval_s).at
    return slot if slot >= now else cadence.next_after(slot, now, schedule.interval_s)


def remove_schedule(session: Session, name: str) -> None:
    """Delete a job and its history (a running crawl finishes; its record goes with the job)."""
    schedule = get_schedule(session, name)
    run_ids = select(JobRun.id).where(JobRun.schedule_id == schedule.id)
    session.execute(delete(SiteLock).where(SiteLock.job_run_id.in_(run_ids)))
    session.execute(delete(JobRun).where(JobRun.schedule_id == schedule.id))
    session.delete(schedule)
    session.flush()


def cadence_text(schedule: Schedule) -> str:
    """`every 15m` or `cron */15 * * * *`."""
    if schedule.cron:
        return f"cron {schedule.cron}"
    return f"every {format_duration(schedule.every_s)}"


def list_jobs(session: Session, now: dt.datetime | None = None) -> list[JobInfo]:
    """Every job, by name, with its next due time, last outcome and health."""
    now = now or dt.datetime.now(dt.UTC)
    out = []
    for s in session.scalars(select(Schedule).order_by(Schedule.name)):
        age = (now - s.last_success_at).total_seconds() if s.last_success_at else None
        out.append(JobInfo(
            name=s.name, cadence=cadence_text(s), interval_s=s.interval_s, adaptive=s.adaptive,
            sites=list(s.sites), crawl_args=list(s.crawl_args), paused=s.paused,
            running=s.current_run_id is not None, next_due_at=s.next_due_at,
            last_run_at=s.last_run_at, last_outcome=s.last_outcome,
            last_success_at=s.last_success_at, success_age_s=age,
            consecutive_failures=s.consecutive_failures, failing=is_failing(s)))  # fmt: skip
    return out


def recent_runs(session: Session, name: str, limit: int = 20) -> list[RunInfo]:
    """A job's newest runs first."""
    schedule = get_schedule(session, name)
    runs = session.scalars(select(JobRun).where(JobRun.schedule_id == schedule.id)
                           .order_by(JobRun.claimed_at.desc(), JobRun.id.desc())
                           .limit(limit))  # fmt: skip
    return [RunInfo(id=r.id, trigger=r.trigger, slot_at=r.slot_at, claimed_at=r.claimed_at,
                    finished_at=r.finished_at, outcome=r.outcome, exit_code=r.exit_code,
                    signal=r.signal, crawl_run_id=r.crawl_run_id, articles_new=r.articles_new,
                    owner=r.owner, message=r.message) for r in runs]  # fmt: skip
