"""`aggregator export`: stream stored articles to JSONL, CSV or Parquet."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from aggregator.cli.app import app
from aggregator.storage.access import parse_when, reader
from aggregator.storage.export import export_articles


class ExportFormat(StrEnum):
    """File formats."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


FormatOption = Annotated[ExportFormat, typer.Option("--format", help="File format.")]


@app.command("export")
def export(
    out: Annotated[str, typer.Option("--out", help="Output file ('-' for stdout).")],
    fmt: FormatOption = ExportFormat.jsonl,
    since: Annotated[str | None, typer.Option(help="From this day or time (WIB).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day (included) or time.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Export articles in constant memory, whatever the table size."""
    filters = {"since": parse_when(since), "until": parse_when(until, end=True), "source": source}
    with reader(db) as session:
        count = export_articles(session, fmt.value, out, **filters)
    if out != "-":
        typer.echo(f"exported {count} article(s) to {out}", err=True)
