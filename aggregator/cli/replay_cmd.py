"""`aggregator replay-dead-letter FILE [--db URL]`: store a dead-letter file, exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aggregator.cli.app import app
from aggregator.config import database_url
from aggregator.storage.preflight import prove_writable, require_persistent


@app.command("replay-dead-letter")
def replay_dead_letter(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Dead-letter JSONL file")],
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL",
        help="Database URL (else $AGGREGATOR_DATABASE_URL, ./data/aggregator.db)")] = None,
) -> None:
    """Store the articles and failure records of a dead-letter file (running it twice is safe)."""
    from aggregator.storage.replay import replay

    url = require_persistent(database_url(db))
    prove_writable(url)
    report = replay(url, file)
    typer.echo(
        f"replayed {report.records} records from {file}: {report.articles} articles "
        f"({report.inserted} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.failed} refused), {report.fetches_recorded} failed fetches, "
        f"{report.items_recorded} failed items, {report.runs_recorded} crawl runs recorded, "
        f"{report.already_present} already present"
    )
    if report.bad_lines:
        typer.echo(f"warning: {len(report.bad_lines)} lines unreadable and skipped", err=True)
