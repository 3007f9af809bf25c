"""`aggregator reextract`: rebuild articles from the WARC archive with the current code."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.progress import Progress
from rich.table import Table

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.exceptions import InputError


def _table(report: Any) -> Table:
    """The summary of a run."""
    verb = "would be " if report.dry_run else ""
    table = Table(title="Re-extraction" + (" (dry run: nothing written)" if report.dry_run
                                           else ""), show_header=False)  # fmt: skip
    rows = [("Article captures", report.captures), ("Pages read", report.pages),
            ("Articles rebuilt", report.articles), ("Unchanged (untouched)", report.unchanged),
            (f"Changed ({verb}updated)", report.changed),
            (f"Missing ({verb}inserted)", report.inserted),
            ("Revisions written", report.revisions),
            ("Unreadable records", len(report.errors)),
            ("Pages/s", f"{report.pages_per_second:.1f}")]  # fmt: skip
    for label, value in rows:
        table.add_row(label, str(value))
    for reason, count in sorted(report.dropped.items()):
        table.add_row(f"  dropped: {reason}", str(count))
    return table


@app.command("reextract")
def reextract(
    site: Annotated[str | None, typer.Option("--site", metavar="NAME",
                                             help="Only captures of this site.")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help="Captured on or after (YYYY-MM-DD, WIB, "
                                                   "or ISO 8601).")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE",
                                              help="Captured before the end of this day "
                                                   "(or before this ISO instant).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run",
                                          help="Write nothing; report what would change.")] = False,
    diff_out: Annotated[Path | None, typer.Option("--diff-out", metavar="FILE",
                                                  help="Write the differences as JSONL.")] = None,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", help="Database URL.")] = None,
) -> None:
    """Re-run extraction, cleaning and dates on archived pages; update what changed."""
    from aggregator.archive.reextract import Reextractor
    from aggregator.storage.access import open_engine, parse_when, require_schema
    from aggregator.storage.db import storage_errors

    start, end = parse_when(since), parse_when(until, end=True)
    if start and end and start >= end:
        raise InputError("--since must be before --until")
    with contextlib.ExitStack() as stack:
        out: IO[str] | None = None
        if diff_out is not None:
            try:
                out = stack.enter_context(diff_out.open("w", encoding="utf-8"))
            except OSError as exc:
                raise InputError(f"--diff-out {diff_out}: {exc.strerror or exc}") from None
        engine = stack.enter_context(open_engine(db))
        require_schema(engine)
        progress = stack.enter_context(Progress(console=output_console(stderr=True),
                                                transient=True))  # fmt: skip
        task = progress.add_task("re-extracting", total=None)
        with storage_errors(engine.url):
            report = Reextractor(engine, dry_run=dry_run, diff_out=out).run(
                site=site, since=start, until=end,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )  # fmt: skip
    output_console().print(_table(report))
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    if report.errors:
        raise typer.Exit(1)
