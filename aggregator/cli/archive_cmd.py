"""`aggregator archive list|verify|prune`: the WARC files a crawl with --archive wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.exceptions import InputError

archive_app = typer.Typer(help="The WARC archive: list, verify and prune its files.",
                          no_args_is_help=True)  # fmt: skip
app.add_typer(archive_app, name="archive")

DbOption = Annotated[str | None, typer.Option("--db", metavar="URL", help="Database URL.")]


def _size(value: int | None) -> str:
    """Bytes as MB, or `missing`."""
    return "missing" if value is None else f"{value / 1e6:.2f} MB"


@archive_app.command("list")
def list_cmd(db: DbOption = None) -> None:
    """List the archive's WARC files: captures, linked articles, time span, size."""
    from aggregator.archive.manage import list_files
    from aggregator.storage.access import reader

    with reader(db) as session:
        files = list_files(session)
    table = Table(title=f"WARC files ({len(files)})")
    for name in ("file", "captures", "articles", "first capture (UTC)", "last capture (UTC)",
                 "size"):  # fmt: skip
        table.add_column(name)
    for f in files:
        s = f.summary
        table.add_row(Path(s.warc_file).name, str(s.captures), str(s.articles),
                      f"{s.first:%Y-%m-%d %H:%M}", f"{s.last:%Y-%m-%d %H:%M}", _size(f.size))
    output_console().print(table)


@archive_app.command("verify")
def verify_cmd(
    files: Annotated[list[Path] | None, typer.Argument(
        help="WARC files (default: every file the database knows).", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Read every record back and check its digests; exit 1 if any file fails."""
    from aggregator.archive.reader import verify_file

    paths = [str(p) for p in files] if files else _known_files(db)
    if not paths:
        raise InputError("no WARC files to verify")
    table = Table(title="Verify")
    for name in ("file", "records", "responses", "revisits", "result"):
        table.add_column(name)
    failed = 0
    for path in paths:
        result = verify_file(path)
        failed += not result.ok
        table.add_row(Path(path).name, str(result.records), str(result.responses),
                      str(result.revisits), "ok" if result.ok else "FAILED")
        if result.error:
            typer.echo(f"error: {result.error}", err=True)
    output_console().print(table)
    if failed:
        typer.echo(f"{failed} of {len(paths)} files failed verification", err=True)
        raise typer.Exit(1)


def _known_files(db: str | None) -> list[str]:
    """The files the captures table points to."""
    from aggregator.archive.index import file_summaries
    from aggregator.storage.access import reader

    with reader(db) as session:
        return [s.warc_file for s in file_summaries(session)]


@archive_app.command("prune")
def prune_cmd(
    before: Annotated[str, typer.Option("--before", metavar="DATE",
                                        help="Delete whole files whose captures are all "
                                             "older (YYYY-MM-DD or ISO 8601).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would go.")] = False,
    db: DbOption = None,
) -> None:
    """Delete WARC files past a retention date, and their capture rows."""
    from aggregator.archive.manage import apply_prune, plan_prune, remove_files
    from aggregator.storage.access import open_engine, parse_when, require_schema
    from aggregator.storage.db import session_factory, storage_errors

    cutoff = parse_when(before)
    assert cutoff is not None  # a required option
    with open_engine(db) as engine:
        require_schema(engine)
        with storage_errors(engine.url), session_factory(engine).begin() as session:
            plan = plan_prune(session, cutoff)
            if not dry_run:
                apply_prune(session, plan)
        if not dry_run:
            remove_files(plan)
    verb = "would delete" if dry_run else "deleted"
    typer.echo(f"{verb} {len(plan.files)} files ({plan.bytes / 1e6:.2f} MB, "
               f"{plan.captures} captures) older than {cutoff.isoformat()}")
    if plan.kept:
        typer.echo(f"kept {len(plan.kept)} older files: newer revisit records need the "
                   "payloads they hold", err=True)
