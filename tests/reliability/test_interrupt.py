"""Real signals on a real `aggregator crawl` subprocess: every ending leaves the books true.

For each ending (finish, one SIGINT, one SIGTERM, SIGINT twice, the grace period running
out, SIGTERM during the final flush) the test checks the exit status, the one line that
says the crawl was interrupted, the `crawl_runs` row, the time from the signal to the
exit against the documented bound, and that every URL of the feed ended stored,
dead-lettered or failed with a reason.  The stats-only balance
(stored + refused + failed + drops + duplicates == discovered) is checked wherever the
process wrote its stats (every ending but a forced one, which exits at once).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from aggregator.cli.main import main
from aggregator.interrupt.signals import EXIT_SLACK_SECONDS
from tests.reliability.interrupt_helpers import (
    SIGINT,
    SIGTERM,
    Run,
    feed_site,
    finish,
    ledger,
    start_crawl,
    stats_balance,
    wait_for,
)
from tests.scorecard import record

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

N = 30
GRACE, FORCE = 3.0, 2.0  # short bounds keep the tests quick; the defaults are 10 s and 5 s
BOUNDS = ("-s", f"AGGREGATOR_INTERRUPT_GRACE={GRACE}",
          "-s", f"AGGREGATOR_INTERRUPT_FORCE_TIMEOUT={FORCE}")  # fmt: skip


def interrupted_lines(run: Run) -> list[str]:
    """stderr lines that announce the interruption."""
    return [line for line in run.stderr.splitlines() if line.startswith("crawl interrupted by")]


def check_nothing_lost(run: Run, discovered: list[str]) -> None:
    """Every discovered URL is stored, dead-lettered or failed with a reason."""
    books = ledger(run.db, run.dead_letter)
    assert books.missing(discovered) == []
    assert all(reason for reason in books.failed.values())


def _signalled(
    tmp: Path, signals: tuple[int, ...], *, after: int = 4, gap: float = 0.5,
    slow_every: int = 3, args: tuple[str, ...] = (),
) -> tuple[Run, list[str]]:  # fmt: skip
    """Crawl, wait until `after` articles were answered, send `signals`."""
    with feed_site(N, slow_every=slow_every) as site:
        proc, db = start_crawl(tmp, site, *BOUNDS, "-s", "DOWNLOAD_DELAY=0.3", *args)
        wait_for(lambda: site.served() >= after)
        run = finish(proc, db, signals=signals, gap=gap)
        return run, site.articles


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[str]]:
    with feed_site(N) as site:
        proc, db = start_crawl(tmp_path_factory.mktemp("finished"), site)
        return finish(proc, db), site.articles


@pytest.fixture(scope="module")
def one_sigint(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[str]]:
    return _signalled(tmp_path_factory.mktemp("sigint"), (SIGINT,), slow_every=0)


@pytest.fixture(scope="module")
def one_sigterm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[str]]:
    return _signalled(tmp_path_factory.mktemp("sigterm"), (SIGTERM,), slow_every=0)


@pytest.fixture(scope="module")
def two_sigints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[str]]:
    # Large batches: the forced stop finds articles in the store's buffer, unwritten.
    # The second signal follows closely, so it lands while the graceful stop still works
    # (on a quiet machine that stop can finish within half a second).
    return _signalled(tmp_path_factory.mktemp("twice"), (SIGINT, SIGINT), after=8, gap=0.1,
                      args=("-s", "AGGREGATOR_STORE_BATCH_SIZE=1000"))  # fmt: skip


def test_finished_crawl_accounts_for_every_url(finished: tuple[Run, list[str]]) -> None:
    run, discovered = finished
    assert run.rc == 0, run.stderr[-2000:]
    assert interrupted_lines(run) == []
    assert [r["finish_reason"] for r in run.crawl_runs()] == ["finished"]
    assert stats_balance(run.stats) == (N, N)
    check_nothing_lost(run, discovered)
    record("interruption", "finish", exit=run.rc, discovered=N,
           accounted=stats_balance(run.stats)[1], lost=0)


CASES = [("one_sigint", "SIGINT", 130), ("one_sigterm", "SIGTERM", 143)]


@pytest.mark.parametrize(("fixture", "signame", "code"), CASES)
def test_one_signal_stops_gracefully(fixture: str, signame: str, code: int,
                                     request: pytest.FixtureRequest) -> None:  # fmt: skip
    run, discovered = request.getfixturevalue(fixture)
    assert run.rc == code, run.stderr[-2000:]
    lines = interrupted_lines(run)
    assert len(lines) == 1, run.stderr
    assert signame in lines[0]
    assert f"exit {code}" in lines[0]
    assert "Traceback" not in run.stderr
    rows = run.crawl_runs()
    assert [r["finish_reason"] for r in rows] == [f"interrupted_{signame.lower()}"]
    assert run.signal_to_exit is not None
    assert run.signal_to_exit < GRACE + FORCE + EXIT_SLACK_SECONDS
    discovered_n, accounted = stats_balance(run.stats)
    assert (discovered_n, accounted) == (N, N)
    assert run.stats.get("spider/failed/article/interrupted", 0) > 0  # it did stop early
    assert rows[0]["items_stored"] == run.stats["store/stored"]
    check_nothing_lost(run, discovered)
    record("interruption", f"one {signame}", exit=run.rc, discovered=N, accounted=accounted,
           lost=len(ledger(run.db, run.dead_letter).missing(discovered)),
           seconds_to_exit=round(run.signal_to_exit, 2),
           bound_s=GRACE + FORCE + EXIT_SLACK_SECONDS)  # fmt: skip


def test_second_signal_forces_a_bounded_exit_and_loses_nothing(
    two_sigints: tuple[Run, list[str]],
) -> None:
    run, discovered = two_sigints
    assert run.rc == 130, run.stderr[-2000:]
    lines = interrupted_lines(run)
    assert len(lines) == 1, run.stderr
    assert "forced stop" in lines[0]
    assert run.signal_to_exit is not None
    assert run.signal_to_exit < FORCE + EXIT_SLACK_SECONDS
    assert [r["finish_reason"] for r in run.crawl_runs()] == ["interrupted_forced"]
    books = ledger(run.db, run.dead_letter)
    assert books.stored, "the articles held in the buffer were written"
    check_nothing_lost(run, discovered)
    lost = len(books.missing(discovered))
    record("interruption", "SIGINT twice", exit=run.rc, discovered=N, accounted=N - lost,
           lost=lost, seconds_to_exit=round(run.signal_to_exit, 2),
           bound_s=FORCE + EXIT_SLACK_SECONDS)  # fmt: skip


def test_grace_period_over_forces_the_stop(tmp_path: Path) -> None:
    # Every article hangs 6 s: the graceful stop cannot finish within the 3 s grace.
    run, discovered = _signalled(tmp_path, (SIGTERM,), after=1, slow_every=1)
    assert run.rc == 143, run.stderr[-2000:]
    lines = interrupted_lines(run)
    assert len(lines) == 1
    assert "grace period over" in lines[0]
    assert run.signal_to_exit is not None
    assert run.signal_to_exit < GRACE + FORCE + EXIT_SLACK_SECONDS
    check_nothing_lost(run, discovered)
    record("interruption", "SIGTERM, grace over", exit=run.rc, discovered=N,
           lost=len(ledger(run.db, run.dead_letter).missing(discovered)),
           seconds_to_exit=round(run.signal_to_exit, 2),
           bound_s=GRACE + FORCE + EXIT_SLACK_SECONDS)  # fmt: skip


def test_sigterm_during_the_final_flush_dead_letters_within_the_bound(tmp_path: Path) -> None:
    """The last article locks the database: the final flush waits; SIGTERM lands there."""
    assert main(["db", "upgrade", "--db", f"sqlite:///{tmp_path / 'crawl.db'}"]) == 0
    held: list[sqlite3.Connection] = []
    locked = threading.Event()

    def lock_on_last(i: int) -> None:
        if i == N - 1 and not held:
            conn = sqlite3.connect(tmp_path / "crawl.db", isolation_level=None,
                                   check_same_thread=False)  # fmt: skip
            conn.execute("BEGIN EXCLUSIVE")
            held.append(conn)
            locked.set()

    try:
        with feed_site(N, hook=lock_on_last) as site:
            proc, db = start_crawl(tmp_path, site, *BOUNDS, "-s",
                                   "AGGREGATOR_STORE_BATCH_SIZE=1000")  # fmt: skip
            wait_for(locked.is_set)
            wait_for(lambda: site.served() >= N)
            # The spider is closing and its flush waits for the lock (30 s busy timeout).
            run = finish(proc, db, signals=(SIGTERM,))
    finally:
        for conn in held:
            conn.rollback()
            conn.close()
    assert run.rc == 143, run.stderr[-2000:]
    assert run.signal_to_exit is not None
    assert run.signal_to_exit < GRACE + FORCE + EXIT_SLACK_SECONDS
    lines = interrupted_lines(run)
    assert len(lines) == 1, run.stderr
    assert str(run.dead_letter) in lines[0]
    books = ledger(run.db, run.dead_letter)
    assert books.missing(site.articles) == []
    assert len(books.dead_lettered) == N  # nothing reached the locked database
    assert run.crawl_runs() == []  # the run row is in the dead-letter file: replay adds it
    # Replaying stores them all, exactly once.
    assert main(["replay-dead-letter", str(run.dead_letter), "--db", f"sqlite:///{db}"]) == 0
    assert main(["replay-dead-letter", str(run.dead_letter), "--db", f"sqlite:///{db}"]) == 0
    stored = ledger(db, run.dead_letter).stored
    assert set(site.articles) <= stored
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == N
        reasons = [r[0] for r in conn.execute("SELECT finish_reason FROM crawl_runs")]
    assert reasons == ["interrupted_forced"]  # replayed once, though replayed twice
    record("interruption", "SIGTERM during final flush (DB locked)", exit=run.rc,
           discovered=N, dead_lettered=len(books.dead_lettered), replayed=N, lost=0,
           seconds_to_exit=round(run.signal_to_exit, 2),
           bound_s=GRACE + FORCE + EXIT_SLACK_SECONDS)  # fmt: skip


def test_kill_9_leaves_no_partial_rows_and_a_rerun_completes(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: transactions must keep the file whole, a rerun finish it."""
    with feed_site(N, slow_every=3, slow_seconds=2.0) as site:
        proc, db = start_crawl(tmp_path, site, "-s", "AGGREGATOR_STORE_BATCH_SIZE=3",
                               "-s", "DOWNLOAD_DELAY=0.3")  # fmt: skip
        wait_for(lambda: site.served() >= 10)
        proc.kill()
        proc.communicate(timeout=60)
        assert proc.returncode == -9
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            partial = conn.execute("SELECT COUNT(*) FROM articles WHERE title IS NULL OR body "
                                   "IS NULL OR content_hash IS NULL").fetchone()[0]  # fmt: skip
            after_kill = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert partial == 0
        proc, db = start_crawl(tmp_path, site)
        rerun = finish(proc, db)
    assert rerun.rc == 0, rerun.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        urls = [r[0] for r in conn.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted(site.articles)  # all of them, none twice
    record("durability", "kill -9 mid-run, then rerun", stored_before_kill=after_kill,
           partial_rows=partial, stored_after_rerun=len(urls), duplicates=0, lost=0)


def test_sigterm_while_waiting_for_a_locked_database_at_start(tmp_path: Path) -> None:
    """SIGTERM is honoured before the crawl starts too: the pre-flight waits on a lock."""
    db = tmp_path / "crawl.db"
    assert main(["db", "upgrade", "--db", f"sqlite:///{db}"]) == 0
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN EXCLUSIVE")
    try:
        with feed_site(3) as site:
            proc, _ = start_crawl(tmp_path, site, extra_env={
                "AGGREGATOR_SQLITE_BUSY_TIMEOUT": "120"})  # fmt: skip
            # Start-up takes seconds on a busy machine; then the probe waits up to 120 s.
            time.sleep(20)
            assert proc.poll() is None
            run = finish(proc, db, signals=(SIGTERM,), timeout=60)
            hits = site.server.total_hits()
    finally:
        conn.rollback()
        conn.close()
    assert run.rc == 143, run.stderr[-2000:]
    assert run.signal_to_exit is not None
    assert run.signal_to_exit < EXIT_SLACK_SECONDS + 1
    assert run.stderr.strip().splitlines() == ["error: interrupted by SIGTERM"]
    assert hits == 0
