"""`aggregator demo`: crawl the bundled sample site offline and show what was stored."""

from __future__ import annotations

from typing import Annotated

import typer

from aggregator.cli.app import app
from aggregator.cli.console import output_console
from aggregator.cli.crawl_cmd import summary_table
from aggregator.config import database_url
from aggregator.demo.report import print_articles
from aggregator.demo.runner import DemoRun, run_demo
from aggregator.interrupt.report import exit_on_interrupt
from aggregator.storage.preflight import require_persistent


def _show(run: DemoRun) -> None:
    """Print the crawl summary, the stored rows and where they are."""
    console = output_console()
    title = None
    if run.crawl is not None:
        console.print(summary_table(run.crawl))
        # A re-run serves the same pages at a new port: they become aliases, not new rows.
        title = f"{len(run.articles)} articles stored: {run.crawl.stored_breakdown}"
    print_articles(run.articles, console, title)
    console.print(f"Database: {run.db_url}")


@app.command("demo")
def demo(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: sqlite:///./data/aggregator.db)."),
    ] = None,
    keep_serving: Annotated[
        bool,
        typer.Option("--keep-serving", help="Keep serving the sample site after the crawl."),
    ] = False,
) -> None:
    """Serve a small sample news site on 127.0.0.1, crawl it and show the stored articles."""
    url = require_persistent(database_url(db))
    with exit_on_interrupt():
        run = run_demo(url, keep_serving=keep_serving, show=_show, say=typer.echo)
    if run.crawl is not None and run.crawl.interrupted:  # 130/143, as `aggregator crawl`
        raise typer.Exit(run.crawl.exit_code)
