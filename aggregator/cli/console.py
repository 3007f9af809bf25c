"""The console the commands print tables to."""

from __future__ import annotations

import os

from rich.console import Console

#: Width used when output goes to a pipe or a file: rich's default 80 folds every cell.
PIPE_WIDTH = 160


def output_console(*, stderr: bool = False, **options: object) -> Console:
    """The console every command prints its tables to: one width rule for all of them.

    On a terminal, the terminal's width; piped or redirected, `$COLUMNS` when it is set,
    else 160 columns, so piped or logged tables stay readable.
    """
    console = Console(stderr=stderr, **options)  # type: ignore[arg-type]
    if console.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return console
    return Console(stderr=stderr, width=PIPE_WIDTH, **options)  # type: ignore[arg-type]
