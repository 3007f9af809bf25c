"""`aggregator backfill`: walk a site's dated archive day by day, with a cursor per day.

Each day is one `aggregator crawl --index <that day's archive URL>` run, claimed like a
scheduled run (a `job_runs` row with trigger `backfill`, holding the site lock, so a
scheduled job and a backfill never crawl one site at once).  `backfill_days` records each
day: `done` days are never walked again, so an interrupted backfill resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.exceptions import ConfigError
from aggregator.jobs.leases import Claim, busy_sites, lock_sites
from aggregator.jobs.models import RUNNING, SUCCESS, BackfillDay, JobRun
from aggregator.sites.base import check_archive_template

#: Longest range one command accepts (ten years), so a typo cannot queue a century.
MAX_DAYS = 3660
DONE = "done"


def parse_day(text: str, what: str) -> dt.date:
    """`YYYY-MM-DD` -> date (ConfigError naming the option otherwise)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"bad {what} {text!r}: use YYYY-MM-DD") from None


def day_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from `first` to `last`, both included."""
    if last < first:
        raise ConfigError(f"--from {first} is after --to {last}")
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise ConfigError(f"{count} days is more than {MAX_DAYS}: split the backfill")
    return [first + dt.timedelta(days=n) for n in range(count)]


def archive_for(site: str, override: str | None) -> str:
    """The site's archive template (or `override`); ConfigError when it has none."""
    from aggregator.sites import SITES, get_site

    spec = get_site(site)
    if override:
        check_archive_template(override, "--archive")
        return override
    if not spec.archive:
        known = ", ".join(sorted(n for n, s in SITES.items() if s.archive))
        raise ConfigError(f"site {spec.name!r} has no dated archive; sites with one: {known} "
                          "(or give --archive URL-TEMPLATE)")  # fmt: skip
    return spec.archive


def day_url(template: str, day: dt.date) -> str:
    """That day's archive URL, `{page}` kept for the index walk."""
    return template.format(date=day, page="{page}")


def done_days(session: Session, site: str, days: list[dt.date]) -> set[dt.date]:
    """The days of `days` already walked to the end."""
    rows = session.scalars(select(BackfillDay.day).where(
        BackfillDay.site == site, BackfillDay.status == DONE,
        BackfillDay.day.in_([d.isoformat() for d in days])))  # fmt: skip
    return {dt.date.fromisoformat(d) for d in rows}


def claim_day(session: Session, site: str, day: dt.date, crawl_args: list[str],
              now: dt.datetime, owner: str, lease_s: int) -> Claim | None:  # fmt: skip
    """Claim one day (site lock + job run + cursor row `running`); None when the site is busy."""
    expires = now + dt.timedelta(seconds=lease_s)
    slot = dt.datetime.combine(day, dt.time(), dt.UTC)
    with session.begin_nested() as savepoint:
        run = JobRun(schedule_id=None, trigger="backfill", slot_at=slot, owner=owner,
                     claimed_at=now, lease_expires_at=expires, outcome=RUNNING,
                     details={"site": site, "day": day.isoformat()})  # fmt: skip
        session.add(run)
        session.flush()
        if not lock_sites(session, [site], run.id, expires, now):
            savepoint.rollback()
            return None
    row = session.get(BackfillDay, (site, day.isoformat()))
    if row is None:
        row = BackfillDay(site=site, day=day.isoformat(), status=RUNNING, updated_at=now)
        session.add(row)
    row.status, row.job_run_id, row.updated_at = RUNNING, run.id, now
    session.flush()
    return Claim(run.id, None, f"{site} {day.isoformat()}", "backfill", slot, crawl_args, None)


def close_day(session: Session, site: str, day: dt.date, run_id: int, now: dt.datetime) -> str:
    """Copy the run's outcome onto the day's cursor row; returns the day's status."""
    run = session.get(JobRun, run_id)
    row = session.get(BackfillDay, (site, day.isoformat()))
    if run is None or row is None:
        return "failed"
    row.status = DONE if run.outcome == SUCCESS else run.outcome
    row.crawl_run_id, row.articles_new, row.updated_at = run.crawl_run_id, run.articles_new, now
    session.flush()
    return row.status


@dataclass(frozen=True, slots=True)
class DayResult:
    """How one day of a backfill went."""

    day: dt.date
    status: str  # done, failed, timeout, skipped (already done)
    articles_new: int | None


def site_busy_text(session: Session, site: str, now: dt.datetime) -> str:
    """A line for the progress output while waiting for a busy site."""
    holders = ", ".join(busy_sites(session, [site], now))
    return f"site {site} is being crawled by another run ({holders})"


ProgressFn = Callable[[str], None]
