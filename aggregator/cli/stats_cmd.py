"""`aggregator stats`: articles per source per day, and the latest crawl per source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.cli.text_args import text_option
from aggregator.storage.access import LOCAL_TZ, reader
from aggregator.storage.stats import (
    WIB,
    DayCount,
    SourceRun,
    articles_per_source_day,
    latest_runs,
    newest_day,
    totals,
)

MAX_DAYS = 3660


class StatsFormat(StrEnum):
    """How the summary is printed."""

    table = "table"
    json = "json"


def _plain(value: Any) -> Any:
    """JSON-ready values (dates as ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def empty_window_note(days: int, newest: dt.date | None, source: str | None) -> str:
    """Why the per-day table is empty, and the --days that would show something."""
    of = f" of {source}" if source else ""
    if newest is None:
        return f"No articles{of} stored yet."
    needed = max((dt.datetime.now(WIB).date() - newest).days + 1, days + 1)
    hint = f"try --days {needed}" if needed <= MAX_DAYS else "older than --days can reach"
    return (f"No articles{of} published in the last {days} day(s) (WIB); the newest is from "
            f"{newest.isoformat()}: {hint}.")  # fmt: skip


def _print_tables(counts: dict[str, int], days: list[DayCount], runs: list[SourceRun],
                  note: str | None) -> None:  # fmt: skip
    """The totals line, then the per-day table (or why it is empty), then the latest runs."""
    console = output_console(markup=False, highlight=False)
    console.print("  ".join(f"{k}: {v}" for k, v in counts.items()))
    console.print(note if note else _per_day_table(days))
    console.print(_latest_table(runs))


def _per_day_table(days: list[DayCount]) -> Table:
    per_day = Table(title="Articles per source per day (WIB)")
    for name in ("day", "source", "articles"):
        per_day.add_column(name)
    for d in days:
        per_day.add_row(d.day.isoformat(), d.source, str(d.articles))
    return per_day


def _latest_table(runs: list[SourceRun]) -> Table:
    latest = Table(title="Latest crawl per source")
    for name in ("source", "run", "started (WIB)", "outcome", "stored", "failed", "fetch failures"):
        latest.add_column(name)
    for r in runs:
        started = r.started_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        latest.add_row(r.source, str(r.crawl_run_id), started, r.outcome, str(r.items_stored),
                       str(r.items_failed), str(r.fetch_failures))  # fmt: skip
    return latest


FormatOption = Annotated[StatsFormat, typer.Option("--format", help="Output format.")]


@app.command("stats")
def stats(
    days: Annotated[int, typer.Option(min=1, max=MAX_DAYS, help="How many days back.")] = 14,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    output: FormatOption = StatsFormat.table,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Show what the database holds and how the latest crawls went."""
    source = text_option("--source", source)
    with reader(db) as session:
        counts = totals(session, source=source)
        per_day = articles_per_source_day(session, days=days, source=source)
        runs = latest_runs(session, source=source)
        newest = None if per_day else newest_day(session, source=source)
    note = None if per_day else empty_window_note(days, newest, source)
    if output is StatsFormat.json:
        data = {
            "totals": counts,
            "per_source_day": [{k: _plain(v) for k, v in dataclasses.asdict(d).items()}
                               for d in per_day],
            "latest_runs": [{k: _plain(v) for k, v in dataclasses.asdict(r).items()}
                            for r in runs],
            "note": note,
        }  # fmt: skip
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_tables(counts, per_day, runs, note)
