"""Console entry point: registers the command modules and turns errors into one line."""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

import typer
from typer._click.exceptions import NoArgsIsHelpError

# Importing a module registers its commands on `app`.
from aggregator.cli import (  # noqa: F401  (imported for their side effect)
    archive_cmd,
    backfill_cmd,
    crawl_cmd,
    dashboard_cmd,
    db_cmd,
    demo_cmd,
    export_cmd,
    extract_cmd,
    health_cmd,
    help_format,
    reextract_cmd,
    replay_cmd,
    schedule_cmd,
    schedule_run_cmd,
    search_cmd,
    sites_cmd,
    stats_cmd,
    version,
    worker_cmd,
)
from aggregator.cli.app import app
from aggregator.exceptions import AggregatorError

help_format.install()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a known error becomes `error: ...` on stderr and exit status 2."""
    try:
        # With standalone_mode=False, click returns typer.Exit's code instead of raising.
        result = app(args=argv, standalone_mode=False)
    except AggregatorError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("error: aborted", err=True)
        return 130
    except KeyboardInterrupt as exc:  # aggregator.interrupt.Interrupted carries 143 for SIGTERM
        typer.echo(f"error: {exc or 'interrupted'}", err=True)
        return int(getattr(exc, "exit_code", 130))
    except NoArgsIsHelpError as exc:
        # Bare `aggregator` (or `aggregator db`) asks for the help: printed, exit status 0.
        if message := exc.format_message().strip():
            typer.echo(message)
        return 0
    except Exception as exc:  # usage errors and the unexpected: still one line
        # Typer's (vendored) click raises usage errors that know how to describe themselves.
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            typer.echo(f"error: {format_message()}", err=True)
            return int(getattr(exc, "exit_code", 2))
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        return 1
    return result if isinstance(result, int) else 0


def run() -> NoReturn:
    """The `aggregator` program: `main`, then exit without a last garbage collection.

    At exit the interpreter runs a full collection over every object still alive, which
    for a crawl's heap takes a second or more (measured: 1.3 s for four workers ending
    together on 2 cores), only to free memory the OS takes back anyway.  Freezing them
    first skips that pass; atexit handlers and module teardown still run.  Not in
    `main`, which tests call in-process.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
