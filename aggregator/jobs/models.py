"""Tables of scheduled jobs: schedules, runs (each holding a lease), site locks, backfill days.

Revision `0013_jobs`.  A `JobRun` in state `running` is a lease: its owner renews
`lease_expires_at` while the crawl lives; a run whose lease lapsed is reclaimed as
`abandoned`.  `SiteLock` rows keep two runs off one site, whichever jobs name it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.storage.base import Base

#: Outcomes of a job run.
RUNNING = "running"
SUCCESS = "success"
FAILED = "failed"
TIMEOUT = "timeout"
ABANDONED = "abandoned"
OUTCOMES = (RUNNING, SUCCESS, FAILED, TIMEOUT, ABANDONED)
#: Triggers recorded on job runs and on `crawl_runs.trigger`.
TRIGGERS = ("schedule", "catch-up", "manual", "backfill")


class Schedule(Base):
    """One named recurring crawl: its start options, cadence and current state."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    crawl_args: Mapped[list[str]]  # `aggregator crawl` start options, as argv
    sites: Mapped[list[str]]  # site-lock keys: registry names, else host[:port]
    every_s: Mapped[int | None]
    cron: Mapped[str | None] = mapped_column(String(200))
    jitter_s: Mapped[int] = mapped_column(default=0)
    max_runtime_s: Mapped[int | None]
    adaptive: Mapped[bool] = mapped_column(default=False)
    interval_s: Mapped[int | None]  # the current (adapted) interval of an --every job
    paused: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime]
    next_slot_at: Mapped[dt.datetime]  # the slot the next run stands for
    next_due_at: Mapped[dt.datetime] = mapped_column(index=True)  # slot + jitter + back-off
    current_run_id: Mapped[int | None]  # the running JobRun, if any
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_run_at: Mapped[dt.datetime | None]
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    last_success_at: Mapped[dt.datetime | None]


class JobRun(Base):
    """One run of a job (or one backfill day): the lease while running, the outcome after."""

    __tablename__ = "job_runs"
    __table_args__ = (
        UniqueConstraint("schedule_id", "slot_at"),  # a slot runs at most once, by design
        Index("ix_job_runs_outcome_lease", "outcome", "lease_expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), index=True
    )
    trigger: Mapped[str] = mapped_column(String(20))
    slot_at: Mapped[dt.datetime]
    owner: Mapped[str] = mapped_column(String(200))  # host:pid of the scheduler
    claimed_at: Mapped[dt.datetime]
    lease_expires_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    outcome: Mapped[str] = mapped_column(String(20), default=RUNNING)
    exit_code: Mapped[int | None]
    signal: Mapped[int | None]  # the signal that ended the crawl, if one did
    pid: Mapped[int | None]
    crawl_run_id: Mapped[int | None]
    articles_new: Mapped[int | None]
    message: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None]


class SiteLock(Base):
    """A site being crawled right now by one run; expires with that run's lease."""

    __tablename__ = "site_locks"

    site: Mapped[str] = mapped_column(String(200), primary_key=True)
    job_run_id: Mapped[int] = mapped_column(ForeignKey("job_runs.id", ondelete="CASCADE"))
    expires_at: Mapped[dt.datetime]


class BackfillDay(Base):
    """The per-day cursor of `aggregator backfill`: a day done is never walked again."""

    __tablename__ = "backfill_days"

    site: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD
    status: Mapped[str] = mapped_column(String(20))  # running, done, failed
    job_run_id: Mapped[int | None] = mapped_column(ForeignKey("job_runs.id", ondelete="SET NULL"))
    crawl_run_id: Mapped[int | None]
    articles_new: Mapped[int | None]
    updated_at: Mapped[dt.datetime]
