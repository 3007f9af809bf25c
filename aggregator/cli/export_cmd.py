"""`aggregator export`: stream stored articles to JSONL, CSV or Parquet."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from aggregator.cli.app import app
from aggregator.cli.text_args import text_option
from aggregator.storage.access import parse_when, reader
from aggregator.storage.export import export_articles, infer_format


class ExportFormat(StrEnum):
    """File formats."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


FormatOption = Annotated[ExportFormat | None, typer.Option(
    "--format", help="File format (default: from the --out extension; '-' is jsonl).")]


@app.command("export")
def export(
    out: Annotated[str, typer.Option("--out", help="Output file ('-' for stdout).")],
    fmt: FormatOption = None,
    since: Annotated[str | None, typer.Option(help="From this day or time (WIB).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day (included) or time.")] = None,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Export articles in constant memory, whatever the table size."""
    chosen = fmt.value if fmt is not None else infer_format(out)
    source = text_option("--source", source)
    filters = {"since": parse_when(since), "until": parse_when(until, end=True), "source": source}
    with reader(db) as session:
        count = export_articles(session, chosen, out, **filters)
    if out != "-":
        typer.echo(f"exported {count} article(s) to {out}", err=True)
