"""`aggregator --version`."""

from __future__ import annotations

from typing import Annotated

import typer

from aggregator import __version__
from aggregator.cli.app import app


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"aggregator {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Crawl Indonesian news portals into a database, and query what was stored."""
