"""`aggregator health`: per-source verdicts for cron or Nagios (exit 0 ok, 1 degraded, 2 bad)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aggregator.cleaning.text import strip_controls
from aggregator.cli.app import app
from aggregator.health.report import health_report, verdict_dict
from aggregator.health.rules import Verdict, exit_code
from aggregator.health.store import require_source_runs
from aggregator.storage.access import LOCAL_TZ, reader


class HealthFormat(StrEnum):
    """How verdicts are printed."""

    table = "table"
    json = "json"


def _when(value: Any) -> str:
    """A WIB time or '-'."""
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if value else "-"


def _print_table(verdicts: list[Verdict]) -> None:
    """One row per source."""
    table = Table()
    for name in ("source", "status", "last success (WIB)", "reasons"):
        table.add_column(name, overflow="fold")
    for v in verdicts:
        table.add_row(strip_controls(v.source), str(v.status), _when(v.last_success_at),
                      strip_controls("; ".join(v.reasons)))  # fmt: skip
    console = Console(markup=False, highlight=False)
    console.print(table)


@app.command("health")
def health(
    output: Annotated[HealthFormat, typer.Option("--format", help="Output format.")] = (
        HealthFormat.table),
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Judge each source against its own history: exit 0 ok, 1 degraded, 2 failing or stale."""
    with reader(db) as session:
        require_source_runs(session)
        verdicts = health_report(session)
    if output is HealthFormat.json:
        typer.echo(json.dumps([verdict_dict(v) for v in verdicts], ensure_ascii=False, indent=2))
    else:
        _print_table(verdicts)
    raise typer.Exit(exit_code(verdicts))
