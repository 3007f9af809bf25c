"""`aggregator stats`: articles per source per day, and the latest crawl per source."""

from __future__ import annotations

import dataclasses
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aggregator.cli.app import app
from aggregator.storage.access import LOCAL_TZ, reader
from aggregator.storage.stats import (
    DayCount,
    SourceRun,
    articles_per_source_day,
    latest_runs,
    totals,
)


class StatsFormat(StrEnum):
    """How the summary is printed."""

    table = "table"
    json = "json"


def _plain(value: Any) -> Any:
    """JSON-ready values (dates as ISO text)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _print_tables(counts: dict[str, int], days: list[DayCount], runs: list[SourceRun]) -> None:
    """Three rich tables."""
    console = Console(markup=False, highlight=False)
    console.print("  ".join(f"{k}: {v}" for k, v in counts.items()))
    per_day = Table(title="Articles per source per day (WIB)")
    for name in ("day", "source", "articles"):
        per_day.add_column(name)
    for d in days:
        per_day.add_row(d.day.isoformat(), d.source, str(d.articles))
    console.print(per_day)
    latest = Table(title="Latest crawl per source")
    for name in ("source", "run", "started (WIB)", "outcome", "stored", "failed", "fetch failures"):
        latest.add_column(name)
    for r in runs:
        started = r.started_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        latest.add_row(r.source, str(r.crawl_run_id), started, r.outcome, str(r.items_stored),
                       str(r.items_failed), str(r.fetch_failures))  # fmt: skip
    console.print(latest)


FormatOption = Annotated[StatsFormat, typer.Option("--format", help="Output format.")]


@app.command("stats")
def stats(
    days: Annotated[int, typer.Option(min=1, max=3660, help="How many days back.")] = 14,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    output: FormatOption = StatsFormat.table,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Show what the database holds and how the latest crawls went."""
    with reader(db) as session:
        counts = totals(session)
        per_day = articles_per_source_day(session, days=days, source=source)
        runs = latest_runs(session, source=source)
    if output is StatsFormat.json:
        data = {
            "totals": counts,
            "per_source_day": [{k: _plain(v) for k, v in dataclasses.asdict(d).items()}
                               for d in per_day],
            "latest_runs": [{k: _plain(v) for k, v in dataclasses.asdict(r).items()}
                            for r in runs],
        }  # fmt: skip
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_tables(counts, per_day, runs)
