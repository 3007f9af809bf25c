"""The Typer application object shared by every command module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="aggregator",
    help="Crawl Indonesian news portals into a database, and query what was stored.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
