"""Helpers for the CLI tests of the analyst commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aggregator.items import ArticleItem
from aggregator.storage.writer import BatchWriter

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `aggregator ...` the way a user does, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "aggregator.cli.main", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def assert_one_line_error(proc: subprocess.CompletedProcess[str], fragment: str) -> None:
    """Exit 2, no traceback, exactly one `error: ...` line mentioning `fragment`."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0], lines[0]


def fill(url: str, items: list[ArticleItem], tmp: Path, *, run: bool = True) -> None:
    """Store items through the real writer (schema created), and record a crawl run."""
    writer = BatchWriter(url, dead_letter=tmp / "dead.jsonl")
    writer.open()
    writer.write_batch(items)
    if run:
        import datetime as dt

        writer.finish_run(dt.datetime.now(dt.UTC), {}, sorted({i.source for i in items}),
                          "finished")  # fmt: skip
