"""`aggregator worker`: join a distributed job; `crawl --frontier` hands over here too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.cli.crawl_cmd import LOG_LEVELS, parse_settings, progress_line, summary_table
from aggregator.exceptions import ConfigError


@app.command("worker")
def worker(
    frontier: Annotated[str, typer.Option(
        "--frontier", metavar="URL", help="Redis of the job: redis://HOST:PORT/DB")],
    job: Annotated[str, typer.Option("--job", metavar="NAME", help="The job to join")],
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", help="Database URL (the job's workers share one)")] = None,
    worker_id: Annotated[str | None, typer.Option(
        "--worker-id", metavar="ID", help="Name in crawl_runs (default HOSTNAME-PID)")] = None,
    log_level: Annotated[str, typer.Option(
        "--log-level", metavar="LEVEL", help="DEBUG, INFO, WARNING or ERROR")] = "WARNING",
    setting: Annotated[list[str] | None, typer.Option(
        "-s", "--set", metavar="NAME=VALUE", help="Scrapy setting (repeatable)")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", help="No progress line and no summary table")] = False,
    stats_file: Annotated[Path | None, typer.Option(
        "--stats-file", metavar="PATH", help="Write this worker's final stats as JSON")] = None,
) -> None:
    """Crawl for a distributed job (started by `aggregator crawl --frontier`) until it ends."""
    from aggregator.frontier.worker import WorkerOptions, run_worker

    if log_level.upper() not in LOG_LEVELS:
        raise ConfigError(f"--log-level must be one of {', '.join(LOG_LEVELS)}")
    console = Console(stderr=True, quiet=quiet)
    status = console.status(f"joining job {job}...")
    options = WorkerOptions(frontier_url=frontier, job=job, db_url=db, worker_id=worker_id,
                            log_level=log_level, settings=parse_settings(setting or []),
                            progress=lambda p: status.update(progress_line(p)))  # fmt: skip
    from aggregator.interrupt.report import exit_on_interrupt, interrupted_line

    with status, exit_on_interrupt():
        summary = run_worker(options)
    if not quiet:
        output_console().print(summary_table(summary))
    if stats_file is not None:
        stats_file.write_text(json.dumps(summary.stats, default=str, indent=2, sort_keys=True))
    if summary.interrupted:
        typer.echo(interrupted_line(summary), err=True)
        raise typer.Exit(summary.exit_code)
    if summary.fatal:
        raise typer.Exit(1)


def totals_table(job: str, workers: list[dict[str, Any]], totals: dict[str, Any]) -> Table:
    """One row per worker, then the job's totals (their sums)."""
    table = Table(title=f"Job {job}")
    columns = ("pages_fetched", "items_stored", "items_dropped", "duplicates", "errors")
    table.add_column("worker")
    for name in columns:
        table.add_column(name.replace("_", " "), justify="right")
    for row in workers:
        table.add_row(str(row["worker"]), *(str(row[name]) for name in columns))
    table.add_row("total", *(str(totals.get(name, 0)) for name in columns), style="bold")
    return table


def crawl_distributed(options: Any, frontier: str, workers: int) -> None:
    """`aggregator crawl ... --frontier URL --workers N`: run the job with N local workers."""
    from aggregator.frontier.launch import launch_job

    console = Console(stderr=True)
    status = console.status("starting workers...")

    def show(snap: Any) -> None:
        busy = sum(1 for w in snap.workers.values() if w.state == "busy")
        status.update(f"queued {snap.queued}  leased {snap.leased}  workers busy {busy}"
                      f"/{len(snap.workers)}")  # fmt: skip

    def started(job: str) -> None:
        console.print(f"job {job}: other machines join with aggregator worker "
                      f"--frontier {frontier} --job {job}")  # fmt: skip

    with status:
        result = launch_job(options, frontier, workers, progress=show, started=started)
    output_console().print(totals_table(result.job, result.workers, result.totals))
    if result.failed:
        raise typer.Exit(1)
