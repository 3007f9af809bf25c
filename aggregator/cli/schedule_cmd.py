"""`aggregator schedule add|list|show|pause|resume|remove|export`: managing scheduled jobs.

Running them (`run-due`, `daemon`, `run`) lives in `schedule_run_cmd.py`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.exceptions import ConfigError

schedule_app = typer.Typer(
    name="schedule", no_args_is_help=True,
    help="Recurring crawl jobs: add them, list them, run the due ones.")  # fmt: skip
app.add_typer(schedule_app, name="schedule")

DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL",
    help="Database URL (else $AGGREGATOR_DATABASE_URL, ./data/aggregator.db)")]  # fmt: skip
NowOption = Annotated[str | None, typer.Option(
    "--now", metavar="ISO8601", help="Use this instant as the current time (tests, replays)")]


def parse_now(text: str | None) -> dt.datetime | None:
    """`--now` -> aware UTC datetime (a value without offset is UTC); ConfigError if bad."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"bad --now {text!r}: use ISO 8601, e.g. 2026-01-31T06:00:00Z") from None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def resolve_db(db: str | None) -> str:
    """The database URL by the usual precedence (validated)."""
    from aggregator.config import database_url

    return database_url(db)


def migrated_db(db: str | None) -> str:
    """`resolve_db`, with the schema brought to head (the scheduler's tables must exist)."""
    from aggregator.storage.db import make_engine
    from aggregator.storage.migrate import ensure_schema

    url = resolve_db(db)
    engine = make_engine(url)
    try:
        ensure_schema(engine)
    finally:
        engine.dispose()
    return url


@contextlib.contextmanager
def job_session(db: str | None) -> Iterator[Session]:
    """A writer session in one transaction on a migrated database (one-line errors)."""
    from aggregator.storage.db import make_engine, session_factory, storage_errors
    from aggregator.storage.migrate import ensure_schema

    url = resolve_db(db)
    engine = make_engine(url)
    try:
        ensure_schema(engine)
        with storage_errors(engine.url), session_factory(engine).begin() as session:
            yield session
    finally:
        engine.dispose()


@schedule_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Unique job name")],
    site: Annotated[list[str] | None, typer.Option(
        "--site", metavar="NAME", help="Registered site, comma list or 'all' (repeatable)")] = None,
    feed: Annotated[list[str] | None, typer.Option(
        "--feed", metavar="URL", help="RSS or Atom feed (repeatable)")] = None,
    sitemap: Annotated[list[str] | None, typer.Option(
        "--sitemap", metavar="URL", help="Sitemap or sitemap index (repeatable)")] = None,
    index: Annotated[list[str] | None, typer.Option(
        "--index", metavar="URL", help="Listing page, '{page}' = page number (repeatable)")] = None,
    index_pages: Annotated[int | None, typer.Option(
        "--index-pages", min=1, metavar="N", help="Pages walked per --index at most")] = None,
    url: Annotated[list[str] | None, typer.Option(
        "--url", metavar="URL", help="Article URL (repeatable)")] = None,
    max_articles: Annotated[int | None, typer.Option(
        "--max-articles", min=1, metavar="N", help="Stop each run after N articles")] = None,
    log_level: Annotated[str | None, typer.Option(
        "--log-level", metavar="LEVEL", help="Crawl log level")] = None,
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", metavar="NAME=VALUE", help="Scrapy setting (repeatable)")] = None,
    archive: Annotated[Path | None, typer.Option(
        "--archive", metavar="DIR", help="Keep every fetch in WARC files in DIR")] = None,
    frontier: Annotated[str | None, typer.Option(
        "--frontier", metavar="URL",
        help="Run each run distributed through Redis (redis://HOST:PORT/DB)")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, metavar="N", help="Local worker processes (with --frontier)")] = None,
    every: Annotated[str | None, typer.Option(
        "--every", metavar="DURATION", help="Run every 15m, 2h, 1d ... (due at once)")] = None,
    cron: Annotated[str | None, typer.Option(
        "--cron", metavar="EXPR", help="Run at a 5-field cron expression's times (UTC)")] = None,
    jitter: Annotated[str, typer.Option(
        "--jitter", metavar="DURATION", help="Delay each run by up to this much")] = "0s",
    max_runtime: Annotated[str | None, typer.Option(
        "--max-runtime", metavar="DURATION",
        help="End a run after this long (SIGTERM, then SIGKILL) and record a timeout")] = None,
    adaptive: Annotated[bool, typer.Option(
        "--adaptive", help="Shorten the interval while runs store new articles, "
                           "lengthen it while they store none")] = False,
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """Add a job: `aggregator crawl`'s start options plus when to run them."""
    from aggregator.jobs.catalog import add_schedule
    from aggregator.jobs.specs import StartOptions
    from aggregator.jobs.timing import Cadence, parse_duration

    cadence = Cadence(every_s=parse_duration(every, what="--every") if every is not None else None,
                      cron=cron)  # fmt: skip
    options = StartOptions(feeds=feed or [], sitemaps=sitemap or [], indexes=index or [],
                           urls=url or [], sites=site or [], settings=setting or [],
                           index_pages=index_pages, max_articles=max_articles,
                           log_level=log_level,
                           archive=str(archive.resolve()) if archive is not None else None,
                           frontier=frontier, workers=workers)  # fmt: skip
    jitter_s = parse_duration(jitter, what="--jitter", allow_zero=True)
    runtime_s = parse_duration(max_runtime, what="--max-runtime") if max_runtime else None
    moment = parse_now(now) or dt.datetime.now(dt.UTC)
    options.validate()  # before touching the database: bad options never need one
    with job_session(db) as session:
        job = add_schedule(session, name, options, cadence, now=moment, jitter_s=jitter_s,
                           max_runtime_s=runtime_s, adaptive=adaptive)  # fmt: skip
        due = job.next_due_at
    typer.echo(f"added job {name!r}: next due {due:%Y-%m-%d %H:%M:%S} UTC")


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "-"


@schedule_app.command("list")
def list_cmd(
    output_format: Annotated[str, typer.Option(
        "--format", metavar="FORMAT", help="table or json")] = "table",
    db: DbOption = None,
    now: NowOption = None,
) -> None:
    """Every job: next due time, last run and outcome, age of the last success, failures."""
    from aggregator.jobs.catalog import list_jobs
    from aggregator.jobs.timing import format_duration

    if output_format not in ("table", "json"):
        raise ConfigError("--format must be table or json")
    with job_session(db) as session:
        jobs = list_jobs(session, parse_now(now))
    if output_format == "json":
        typer.echo(json.dumps([j.as_json() for j in jobs], indent=2))
        return
    table = Table(title=f"Scheduled jobs ({len(jobs)})")
    for column in ("name", "when", "sites", "next due (UTC)", "last run", "outcome",
                   "last success", "failures", "state"):  # fmt: skip
        table.add_column(column)
    for j in jobs:
        state = ("paused" if j.paused else "running" if j.running
                 else "failing" if j.failing else "ok")  # fmt: skip
        when = j.cadence + (f" (now {format_duration(j.interval_s)})" if j.adaptive else "")
        table.add_row(j.name, when, ", ".join(j.sites), _when(j.next_due_at), _when(j.last_run_at),
                      j.last_outcome or "-",
                      "never" if j.success_age_s is None
                      else f"{format_duration(j.success_age_s)} ago",
                      str(j.consecutive_failures), state)  # fmt: skip
    output_console().print(table)


@schedule_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Job name")],
    limit: Annotated[int, typer.Option("--limit", min=1, metavar="N", help="Runs shown")] = 20,
    output_format: Annotated[str, typer.Option(
        "--format", metavar="FORMAT", help="table or json")] = "table",
    db: DbOption = None,
) -> None:
    """A job's recent runs, newest first."""
    from aggregator.jobs.catalog import recent_runs

    if output_format not in ("table", "json"):
        raise ConfigError("--format must be table or json")
    with job_session(db) as session:
        runs = recent_runs(session, name, limit)
    if output_format == "json":
        typer.echo(json.dumps([r.as_json() for r in runs], indent=2))
        return
    table = Table(title=f"Recent runs of {name}")
    for column in ("run", "trigger", "slot", "claimed", "finished", "outcome", "exit",
                   "new articles", "crawl run", "message"):  # fmt: skip
        table.add_column(column)
    for r in runs:
        exit_text = f"SIG{r.signal}" if r.signal and r.exit_code is None else str(r.exit_code or 0)
        table.add_row(str(r.id), r.trigger, _when(r.slot_at), _when(r.claimed_at),
                      _when(r.finished_at), r.outcome, exit_text if r.finished_at else "-",
                      "-" if r.articles_new is None else str(r.articles_new),
                      str(r.crawl_run_id or "-"), (r.message or "").splitlines()[0][:60]
                      if r.message else "")  # fmt: skip
    output_console().print(table)


def _set_paused(name: str, paused: bool, db: str | None, now: str | None) -> None:
    from aggregator.jobs.catalog import set_paused

    with job_session(db) as session:
        set_paused(session, name, paused, parse_now(now) or dt.datetime.now(dt.UTC))
    typer.echo(f"{'paused' if paused else 'resumed'} job {name!r}")


@schedule_app.command("pause")
def pause(name: Annotated[str, typer.Argument(help="Job name")], db: DbOption = None) -> None:
    """Stop starting a job (a running crawl finishes)."""
    _set_paused(name, True, db, None)


@schedule_app.command("resume")
def resume(name: Annotated[str, typer.Argument(help="Job name")], db: DbOption = None,
           now: NowOption = None) -> None:  # fmt: skip
    """Start a paused job again at its next slot (no burst of missed runs)."""
    _set_paused(name, False, db, now)


@schedule_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="Job name")], db: DbOption = None) -> None:
    """Delete a job and its run history."""
    from aggregator.jobs.catalog import remove_schedule

    with job_session(db) as session:
        remove_schedule(session, name)
    typer.echo(f"removed job {name!r}")


@schedule_app.command("export")
def export(
    systemd: Annotated[bool, typer.Option("--systemd", help="A service + timer unit")] = False,
    crontab: Annotated[bool, typer.Option("--crontab", help="A crontab line")] = False,
    db: DbOption = None,
) -> None:
    """Print ready-to-install systemd units or a crontab line calling `schedule run-due`."""
    from aggregator.jobs.export import crontab_lines, systemd_units

    if systemd == crontab:
        raise ConfigError("give exactly one of --systemd and --crontab")
    if db is not None:
        resolve_db(db)  # a malformed URL fails here, not in the installed timer
    text = systemd_units(db, Path.cwd()) if systemd else crontab_lines(db, Path.cwd())
    typer.echo(text, nl=False)
