"""Databases that cannot keep a crawl: refused up front, or dead-lettered and replayed.

- in-memory and empty SQLite URLs: `crawl`, `demo` and `db` refuse them (one line, exit 2);
- a pre-flight that commits a write: an immutable file, an immutable directory (no WAL
  can be created) and a full database (`max_page_count`) are refused before any fetch;
- the database gone mid-run (locked past the busy timeout) and a disk filling up
  mid-run: the crawl ends nonzero, the summary names the dead-letter file beside the
  database, every URL is accounted for, and replaying the file twice stores each
  article exactly once.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from aggregator.cli.main import main
from tests.reliability.helpers import assert_one_line_error, cli
from tests.reliability.interrupt_helpers import (
    feed_site,
    finish,
    ledger,
    start_crawl,
    stats_balance,
)
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

N = 20
FAST_BUSY = {"AGGREGATOR_SQLITE_BUSY_TIMEOUT": "1"}


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:",
                                 "sqlite:///file::memory:?cache=shared"])  # fmt: skip
@pytest.mark.parametrize("command", [["crawl", "--url", "http://127.0.0.1:9/a.html"],
                                     ["demo"], ["db", "upgrade"], ["db", "check"]])  # fmt: skip
def test_in_memory_database_is_refused(command: list[str], url: str) -> None:
    proc = cli(*command, "--db", url)
    line = assert_one_line_error(proc)
    assert proc.returncode == 2
    assert "in-memory" in line


def _migrated(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "crawl.db"
    assert main(["db", "upgrade", "--db", f"sqlite:///{db}"]) == 0
    return db


def _chattr_works(path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    ok = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if ok.returncode == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    return ok.returncode == 0


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """`chattr +i` for the duration (root on ext4/xfs/btrfs)."""
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _preflight_refuses(folder: Path, db: Path, *, env: dict[str, str] | None = None) -> str:
    """Crawl into `db`; the crawl must stop before any fetch with one error line."""
    with feed_site(3) as site:
        proc, _ = start_crawl(folder, site, extra_env=env)
        _out, err = proc.communicate(timeout=120)
        hits = site.server.total_hits()
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith("error: cannot write to the database"), err
    assert hits == 0
    return lines[0]


def test_immutable_database_file_is_refused_before_fetching(tmp_path: Path) -> None:
    db = _migrated(tmp_path)
    if not _chattr_works(db):
        pytest.skip("chattr +i needs root and a filesystem that supports it")
    with immutable(db):
        line = _preflight_refuses(tmp_path, db)
    assert "readonly" in line or "read-only" in line


def test_immutable_directory_is_refused_before_fetching(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    _migrated(folder)
    if not _chattr_works(folder):
        pytest.skip("chattr +i needs root and a filesystem that supports it")
    with immutable(folder):
        _preflight_refuses(folder, folder / "crawl.db")


def _page_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("PRAGMA page_count").fetchone()[0])


def test_full_database_is_refused_before_fetching(tmp_path: Path) -> None:
    db = _migrated(tmp_path)
    line = _preflight_refuses(tmp_path, db, env={
        "AGGREGATOR_SQLITE_MAX_PAGE_COUNT": str(_page_count(db))})  # fmt: skip
    assert "full" in line


def _replay_twice(db: Path, dead: Path) -> int:
    """Replay `dead` into `db` twice; returns the article count after each (must agree)."""
    counts = []
    for _ in range(2):
        assert main(["replay-dead-letter", str(dead), "--db", f"sqlite:///{db}"]) == 0
        with sqlite3.connect(db) as conn:
            counts.append(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    assert counts[0] == counts[1]
    return counts[0]


def test_database_gone_mid_run_dead_letters_and_replays(tmp_path: Path) -> None:
    db = _migrated(tmp_path)
    held: list[sqlite3.Connection] = []

    def lock_once(i: int) -> None:
        if not held:
            conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
            conn.execute("BEGIN EXCLUSIVE")
            held.append(conn)

    try:
        with feed_site(N, hook=lock_once) as site:
            proc, _ = start_crawl(tmp_path, site, "-s", "AGGREGATOR_STORE_BATCH_SIZE=5",
                                  extra_env=FAST_BUSY)  # fmt: skip
            run = finish(proc, db)
    finally:
        for conn in held:
            conn.rollback()
            conn.close()
    assert run.rc == 1, run.stderr[-2000:]
    assert str(run.dead_letter) in run.stdout.replace("\n", "")  # the summary names it
    assert run.dead_letter.parent == db.parent
    assert stats_balance(run.stats) == (N, N)
    books = ledger(db, run.dead_letter)
    assert books.missing(site.articles) == []
    assert len(books.dead_lettered) == N
    assert _replay_twice(db, run.dead_letter) == N
    assert [r["finish_reason"] for r in run.crawl_runs()] == ["finished"]  # replayed too
    record("durability", "database locked mid-run", exit=run.rc, discovered=N,
           dead_lettered=len(books.dead_lettered), replayed=N, lost=0)


def test_disk_full_mid_run_dead_letters_and_replays(tmp_path: Path) -> None:
    db = _migrated(tmp_path)
    quota = {"AGGREGATOR_SQLITE_MAX_PAGE_COUNT": str(_page_count(db) + 1)}
    with feed_site(N, padding=300) as site:  # ~40 KB bodies: one spare page holds none
        proc, _ = start_crawl(tmp_path, site, "-s", "AGGREGATOR_STORE_BATCH_SIZE=5",
                              extra_env=quota)  # fmt: skip
        run = finish(proc, db)
    assert run.rc == 1, run.stderr[-2000:]
    assert "full" in run.stderr
    assert stats_balance(run.stats) == (N, N)
    books = ledger(db, run.dead_letter)
    assert books.missing(site.articles) == []
    assert books.dead_lettered, "the full database refused articles"
    stored_before = len(books.stored)
    assert _replay_twice(db, run.dead_letter) == N
    record("durability", "disk full mid-run (max_page_count)", exit=run.rc, discovered=N,
           stored_in_run=stored_before, dead_lettered=len(books.dead_lettered),
           replayed=N - stored_before, lost=0)
