"""What an interrupted crawl tells the user: one line on stderr, and its exit status."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer

from aggregator.extensions import CrawlSummary
from aggregator.interrupt.signals import Interrupted


@contextlib.contextmanager
def exit_on_interrupt() -> Iterator[None]:
    """A signal before the crawl started: `error: interrupted by SIGTERM`, exit 130/143.

    Typer turns a KeyboardInterrupt into a silent exit 130, which would hide SIGTERM.
    """
    try:
        yield
    except Interrupted as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None


def interrupted_line(summary: CrawlSummary) -> str:
    """`crawl interrupted by SIGTERM: ...; exit 143` with what happened to the held work."""
    parts = [f"stored {summary.stored}"]
    if summary.dead_lettered:
        parts.append(f"dead-lettered {summary.dead_lettered} to {summary.dead_letter_file} "
                     "(aggregator replay-dead-letter FILE)")  # fmt: skip
    abandoned = sum(v for k, v in summary.stats.items()
                    if k.startswith("spider/failed/") and k.endswith("/interrupted")
                    and isinstance(v, int))  # fmt: skip
    parts.append(f"{abandoned} URLs not fetched (recorded as failed: interrupted)")
    return (f"crawl interrupted by {summary.interrupted}: stopped early; "
            f"{', '.join(parts)}; exit {summary.exit_code}")
