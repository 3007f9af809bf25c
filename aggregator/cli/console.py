"""The console the commands print tables to."""

from __future__ import annotations

from rich.console import Console

#: Width used when output goes to a pipe or a file: rich's default 80 folds every cell.
PIPE_WIDTH = 160


def output_console(*, stderr: bool = False, **options: object) -> Console:
    """A console; wide when output is not a terminal, so piped or logged tables stay readable."""
    console = Console(stderr=stderr, **options)  # type: ignore[arg-type]
    if console.is_terminal:
        return console
    return Console(stderr=stderr, width=PIPE_WIDTH, **options)  # type: ignore[arg-type]
