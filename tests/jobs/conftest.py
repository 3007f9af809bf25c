"""Scheduler test fixtures: the storage DB fixtures, a fake crawl command, CLI helpers."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.storage.dbs import db_url, engine, pg_url, sessions, sqlite_url  # noqa: F401

FAKE_CRAWL = Path(__file__).with_name("fake_crawl.py")


@pytest.fixture
def fake_crawl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Make the scheduler run the fake crawl; returns the log file it appends to."""
    log = tmp_path / "fake-crawl.log"
    monkeypatch.setenv("AGGREGATOR_SCHEDULE_CRAWL_CMD",
                       f"{shlex.quote(sys.executable)} {shlex.quote(str(FAKE_CRAWL))}")
    monkeypatch.setenv("FAKE_CRAWL_LOG", str(log))
    return log


def cli(*args: str, timeout: float = 120, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run `aggregator ARGS` in a subprocess (the environment as the test set it)."""
    import os

    return subprocess.run([sys.executable, "-m", "aggregator.cli.main", *args],
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **(env or {})}, cwd=cwd)  # fmt: skip
