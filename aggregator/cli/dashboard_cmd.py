"""`aggregator dashboard`: serve the read-only monitoring dashboard with uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from aggregator.cli.app import app
from aggregator.config import database_url
from aggregator.exceptions import InputError
from aggregator.health.store import require_source_runs
from aggregator.storage.access import reader
from aggregator.web.security import ENV_TOKEN, is_loopback


def check_bind(host: str, token: str | None) -> None:
    """A non-loopback bind needs a token; raise a one-line `InputError` otherwise."""
    if not is_loopback(host) and not token:
        raise InputError(f"--host {host} is reachable from other machines: give --token TOKEN "
                         f"(or set {ENV_TOKEN})")  # fmt: skip


@app.command("dashboard")
def dashboard(
    db: Annotated[str | None, typer.Option("--db", help="Database URL.")] = None,
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8080,
    token: Annotated[str | None, typer.Option(
        help=f"Require this token (bearer or basic-auth password); default ${ENV_TOKEN}.")] = None,
) -> None:
    """Serve the read-only web dashboard (pages, JSON API under /api, /metrics)."""
    import uvicorn

    from aggregator.web.app import create_app

    token = token or os.environ.get(ENV_TOKEN) or None
    check_bind(host, token)
    url = database_url(db)
    with reader(url) as session:  # a clear one-line error now, not on the first request
        require_source_runs(session)
    where = f"http://{host}:{port}/"
    typer.echo(f"dashboard on {where} ({'token required' if token else 'no token'}); "
               "Ctrl-C stops it", err=True)  # fmt: skip
    uvicorn.run(create_app(url, token=token), host=host, port=port, log_level="warning")
