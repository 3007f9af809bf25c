"""`aggregator backfill --site S --from DAY --to DAY`: walk a dated archive, resumable per day."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from aggregator.cli.app import app
from aggregator.cli.schedule_cmd import DbOption, migrated_db
from aggregator.cli.schedule_run_cmd import stop_signals

if TYPE_CHECKING:
    from aggregator.jobs.leases import Claim
    from aggregator.jobs.runner import Scheduler

#: Seconds between tries while another run holds the site.
BUSY_POLL_S = 5.0


@app.command("backfill")
def backfill(
    site: Annotated[str, typer.Option("--site", metavar="NAME", help="Registered site")],
    from_day: Annotated[str, typer.Option("--from", metavar="YYYY-MM-DD", help="First day")],
    to_day: Annotated[str, typer.Option("--to", metavar="YYYY-MM-DD", help="Last day")],
    archive: Annotated[str | None, typer.Option(
        "--archive", metavar="URL-TEMPLATE",
        help="Archive URL with {date:%Y-%m-%d} and {page} (else the site's own)")] = None,
    index_pages: Annotated[int, typer.Option(
        "--index-pages", min=1, metavar="N", help="Archive pages walked per day at most")] = 10,
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", metavar="NAME=VALUE", help="Scrapy setting (repeatable)")] = None,
    log_level: Annotated[str | None, typer.Option(
        "--log-level", metavar="LEVEL", help="Crawl log level")] = None,
    db: DbOption = None,
) -> None:
    """Crawl a site's dated archive day by day; a finished day is never walked again."""
    from aggregator.jobs import backfill as bf
    from aggregator.jobs.runner import Scheduler
    from aggregator.jobs.specs import StartOptions
    from aggregator.sites import get_site
    from aggregator.storage.db import storage_errors

    name = get_site(site).name
    template = bf.archive_for(name, archive)
    days = bf.day_range(bf.parse_day(from_day, "--from"), bf.parse_day(to_day, "--to"))
    extra = StartOptions(settings=setting or [], log_level=log_level)
    extra.validate_settings()
    url = migrated_db(db)
    scheduler = Scheduler(url, on_event=lambda _text: None)
    results: list[str] = []
    try:
        with storage_errors(scheduler.engine.url), scheduler.sessions() as session:
            done = bf.done_days(session, name, days)
        with stop_signals() as stop:
            for number, day in enumerate(days, 1):
                head = f"[{number}/{len(days)}] {name} {day}"
                if day in done:
                    typer.echo(f"{head}: already done, skipped", err=True)
                    continue
                args = ["--index", bf.day_url(template, day), "--index-pages", str(index_pages),
                        *extra.argv()]  # fmt: skip
                claim = _claim(scheduler, name, day, args, stop.is_set, head)
                if claim is None:
                    break
                started = time.monotonic()
                scheduler.submit(claim)
                scheduler.wait(stop.is_set)
                if stop.is_set():
                    scheduler.shutdown(30.0)
                with storage_errors(scheduler.engine.url), scheduler.sessions.begin() as session:
                    status = bf.close_day(session, name, day, claim.run_id,
                                          dt.datetime.now(dt.UTC))  # fmt: skip
                    row = session.get(bf.BackfillDay, (name, day.isoformat()))
                    new = row.articles_new if row is not None else None
                took = time.monotonic() - started
                typer.echo(f"{head}: {status}, {new if new is not None else '?'} new articles "
                           f"({took:.0f}s)", err=True)  # fmt: skip
                results.append(status)
                if status != bf.DONE:
                    break
    finally:
        scheduler.close()
    failed = [s for s in results if s != bf.DONE]
    if failed or (len(results) + len(done) < len(days)):
        typer.echo("backfill stopped before the last day: run the same command to resume", err=True)
        raise typer.Exit(1)
    typer.echo(f"backfill of {name} {days[0]}..{days[-1]} complete", err=True)


def _claim(scheduler: Scheduler, site: str, day: dt.date, args: list[str],
           stopping: Callable[[], bool], head: str) -> Claim | None:  # fmt: skip
    """Claim the day, waiting while another run crawls the site (None when told to stop)."""
    from aggregator.jobs import backfill as bf
    from aggregator.storage.db import storage_errors

    told = False
    while not stopping():
        with storage_errors(scheduler.engine.url), scheduler.sessions.begin() as session:
            now = scheduler.clock.now()
            claim = bf.claim_day(session, site, day, args, now, scheduler.owner, scheduler.lease_s)
            if claim is None and not told:
                typer.echo(f"{head}: {bf.site_busy_text(session, site, now)}; waiting", err=True)
                told = True
        if claim is not None:
            return claim
        time.sleep(BUSY_POLL_S)
    return None
