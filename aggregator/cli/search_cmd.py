"""`aggregator search QUERY`: ranked full-text search over stored articles."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from aggregator.cleaning.text import strip_controls
from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.cli.text_args import text_option
from aggregator.exceptions import InputError
from aggregator.storage.access import LOCAL_TZ, parse_when, reader
from aggregator.storage.export import csv_cell
from aggregator.storage.search import SearchFilters, SearchHit, search_articles


class OutputFormat(StrEnum):
    """How results are printed."""

    table = "table"
    json = "json"
    csv = "csv"


def _print_table(hits: list[SearchHit]) -> None:
    """A rich table: WIB time, source, title, authors, snippet."""
    table = Table(show_lines=False)
    for name in ("published (WIB)", "source", "title", "authors", "excerpt"):
        table.add_column(name, overflow="fold")
    for hit in hits:
        when = hit.published_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if (
            hit.published_at) else "-"  # fmt: skip
        # markup=False: scraped text must never be read as rich markup; control characters
        # go too, so a stored title cannot drive the terminal (ESC sequences, BEL).
        cells = (hit.source, hit.title or "", ", ".join(hit.authors), hit.snippet or "")
        table.add_row(when, *(strip_controls(c) for c in cells))
    console = output_console(markup=False, highlight=False)
    console.print(table)
    console.print(f"{len(hits)} result(s)")


def _as_dict(hit: SearchHit) -> dict[str, object]:
    """A hit as JSON-ready data."""
    data = dataclasses.asdict(hit)
    data["published_at"] = hit.published_at.isoformat() if hit.published_at else None
    return data


FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


QUERY_HELP = 'Words (all must match), "a phrase", prefix*, a OR b, -word or NOT word to exclude.'


# ignore_unknown_options: `-word` (exclude a word) is a query word, not an option.
@app.command("search", context_settings={"ignore_unknown_options": True})
def search(
    words: Annotated[list[str], typer.Argument(metavar="QUERY", help=QUERY_HELP)],
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    since: Annotated[str | None, typer.Option(help="From this day or time (WIB).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day (included) or time.")] = None,
    author: Annotated[str | None, typer.Option(help="Author name contains this.")] = None,
    tag: Annotated[str | None, typer.Option(help="Has this tag.")] = None,
    limit: Annotated[int, typer.Option(help="Maximum results (1-1000).")] = 20,
    output: FormatOption = OutputFormat.table,
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
) -> None:
    """Search titles and bodies, best matches first."""
    query = _query_text(words)
    source, author, tag = (text_option(f"--{name}", value) for name, value in
                           (("source", source), ("author", author), ("tag", tag)))  # fmt: skip
    filters = SearchFilters(source=source, since=parse_when(since),
                            until=parse_when(until, end=True), author=author, tag=tag)  # fmt: skip
    with reader(db) as session:
        hits = search_articles(session, query, filters, limit=limit)
    if output is OutputFormat.json:
        typer.echo(json.dumps([_as_dict(h) for h in hits], ensure_ascii=False, indent=2))
    elif output is OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        fields = [f.name for f in dataclasses.fields(SearchHit)]
        writer.writerow(fields)
        for hit in hits:
            writer.writerow([csv_cell(v) for v in _as_dict(hit).values()])
    else:
        _print_table(hits)


def _query_text(words: list[str]) -> str:
    """The words as one query; an unknown `--option` among them is a usage error."""
    for word in words:
        if word.startswith("--") and len(word) > 2 and word[2:3].isalpha():
            raise InputError(f"no such option: {word.split('=')[0]} (a query word cannot start "
                             "with --)")
    # Not `text_option`: the query keeps only letters and digits, NULs and stray bytes
    # are separators there.
    return " ".join(words)
