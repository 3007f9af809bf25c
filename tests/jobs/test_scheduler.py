"""The scheduler on both databases with a fake clock: exactly-once slots, catch-up, site
exclusion, lost leases, timeouts.  Crawls are the fake crawl (tests/jobs/fake_crawl.py)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from aggregator.jobs.catalog import add_schedule, list_jobs, recent_runs
from aggregator.jobs.models import JobRun, Schedule
from aggregator.jobs.runner import Clock, Scheduler
from aggregator.jobs.specs import StartOptions
from aggregator.jobs.timing import Cadence
from tests.jobs.scheduler_worker import tick_over

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
ROOT = Path(__file__).resolve().parents[2]


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def add_job(sessions: sessionmaker[Session], name: str, *, site: str = "detik",
            every_s: int | None = 900, cron: str | None = None, now: dt.datetime = T0,
            max_runtime_s: int | None = None) -> None:  # fmt: skip
    with sessions.begin() as session:
        add_schedule(session, name, StartOptions(sites=[site]), Cadence(every_s=every_s, cron=cron),
                     now=now, max_runtime_s=max_runtime_s)  # fmt: skip


def tick(db_url: str, now: dt.datetime, **kwargs: object) -> Scheduler:
    """One run-due tick at `now`, run to completion."""
    scheduler = Scheduler(db_url, clock=Clock(now), on_event=lambda _t: None, **kwargs)  # type: ignore[arg-type]
    try:
        scheduler.tick()
        scheduler.wait()
    finally:
        scheduler.close()
    return scheduler


def runs(sessions: sessionmaker[Session]) -> list[JobRun]:
    with sessions() as session:
        return list(session.scalars(select(JobRun).order_by(JobRun.id)))


@pytest.mark.slow
def test_two_schedulers_over_24h_run_each_slot_exactly_once(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGGREGATOR_SCHEDULE_CRAWL_CMD", "true")
    add_job(sessions, "every-15m")
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    # Two processes tick every 5 simulated minutes over 24 h, the second 1 minute later.
    workers = [ctx.Process(target=tick_over, args=(
        db_url, T0 + dt.timedelta(minutes=offset), 288, 300.0, f"worker-{offset}", barrier,
        results)) for offset in (0, 1)]  # fmt: skip
    for proc in workers:
        proc.start()
    claimed = dict(results.get(timeout=280) for _ in workers)
    for proc in workers:
        proc.join(30)
        assert proc.exitcode == 0
    done = runs(sessions)
    assert len(done) == 96 == sum(claimed.values())
    assert sorted(r.slot_at for r in done) == [at(15 * i) for i in range(96)]  # none doubled
    assert {r.outcome for r in done} == {"success"}
    assert {r.owner for r in done} <= {"worker-0", "worker-1"}


def test_downtime_gives_one_catch_up_run(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path
) -> None:
    add_job(sessions, "news")
    tick(db_url, at(0))
    tick(db_url, at(180 + 2))  # the machine was off for 3 hours
    done = runs(sessions)
    assert [(r.trigger, r.slot_at, r.outcome) for r in done] == [
        ("schedule", at(0), "success"), ("catch-up", at(180), "success")]
    tick(db_url, at(183))  # nothing more is due until the next slot
    assert len(runs(sessions)) == 2
    with sessions() as session:
        (job,) = list_jobs(session, at(183))
    assert job.next_due_at == at(195)
    assert job.last_outcome == "success"
    assert len(fake_crawl.read_text().splitlines()) == 4  # two starts, two ends


def test_cron_job_is_due_at_its_next_matching_time(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path
) -> None:
    add_job(sessions, "cron", every_s=None, cron="0 * * * *", now=at(7))
    tick(db_url, at(30))
    assert runs(sessions) == []
    tick(db_url, at(60))
    assert [(r.slot_at, r.trigger) for r in runs(sessions)] == [(at(60), "schedule")]


def _intervals(log: Path) -> dict[str, list[float]]:
    spans: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        _event, run_id, stamp = line.split()[:3]
        spans.setdefault(run_id, []).append(float(stamp))
    return spans


def test_two_jobs_on_one_site_never_overlap(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CRAWL_SLEEP", "1.0")
    add_job(sessions, "detik-a", site="detik")
    add_job(sessions, "detik-b", site="detik,kompas")  # due together, sharing detik
    # Two schedulers tick at the same instant, concurrently.
    schedulers = [Scheduler(db_url, clock=Clock(at(0)), owner=f"s{i}", on_event=lambda _t: None)
                  for i in range(2)]  # fmt: skip
    barrier = threading.Barrier(2)

    def run(scheduler: Scheduler) -> None:
        barrier.wait()
        scheduler.tick()
        scheduler.wait()

    threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for scheduler in schedulers:
        scheduler.close()
    assert len(runs(sessions)) == 1  # the other job waits: its site is busy
    tick(db_url, at(1))  # the first finished: now the other one runs
    tick(db_url, at(2))
    done = runs(sessions)
    assert sorted(r.schedule_id for r in done) == [1, 2]
    assert all(r.outcome == "success"
                                                                 for r in done)
    spans = sorted(_intervals(fake_crawl).values())
    assert len(spans) == 2
    assert spans[0][1] <= spans[1][0]


def test_a_killed_scheduler_leaves_an_abandoned_run_and_the_next_slot_runs(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path, tmp_path: Path
) -> None:
    add_job(sessions, "news")
    env = {**os.environ, "FAKE_CRAWL_SLEEP": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "aggregator.cli.main", "schedule", "run-due",
                             "--db", db_url, "--now", at(0).isoformat(), "--lease", "5s"],
                            env=env, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (runs(sessions) and runs(sessions)[0].pid):
        time.sleep(0.1)
    (run,) = runs(sessions)
    assert run.outcome == "running"
    assert run.pid
    # The machine is lost: the scheduler and its crawl (in its own process group) die at once.
    os.killpg(proc.pid, signal.SIGKILL)
    os.killpg(run.pid, signal.SIGKILL)
    proc.wait(10)
    tick(db_url, at(1) - dt.timedelta(seconds=56))  # lease still valid: nothing is touched
    assert [r.outcome for r in runs(sessions)] == ["running"]
    tick(db_url, at(15))  # lease long expired: reclaimed, and the next slot runs normally
    done = runs(sessions)
    assert [(r.outcome, r.trigger, r.slot_at) for r in done] == [
        ("abandoned", "schedule", at(0)), ("success", "schedule", at(15))]
    assert "lease expired" in (done[0].message or "")
    with sessions() as session:
        job = session.scalars(select(Schedule)).one()
        assert job.current_run_id is None
        assert job.last_outcome == "success"


def test_a_crawl_killed_by_sigkill_is_a_failure_with_its_signal(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CRAWL_SELF_KILL", "1")
    add_job(sessions, "news")
    scheduler = tick(db_url, at(0))
    (run,) = runs(sessions)
    assert (run.outcome, run.signal, run.exit_code) == ("failed", 9, None)
    assert "SIGKILL" in (run.message or "")
    assert [o.ok for o in scheduler.outcomes] == [False]


def test_max_runtime_ends_a_hung_crawl_as_timeout(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CRAWL_SLEEP", "60")
    add_job(sessions, "news", max_runtime_s=1)
    started = time.monotonic()
    tick(db_url, at(0))
    assert time.monotonic() - started < 30
    (run,) = runs(sessions)
    assert (run.outcome, run.signal) == ("timeout", signal.SIGTERM)


def test_failures_back_off_and_show_as_failing(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CRAWL_EXIT", "1")
    add_job(sessions, "news")
    for minute in (0, 15, 30):
        tick(db_url, at(minute))
    with sessions() as session:
        (job,) = list_jobs(session, at(31))
        history = recent_runs(session, "news")
    assert (job.consecutive_failures, job.failing) == (3, True)
    assert job.next_due_at == at(45 + 15)  # the 45-minute slot is pushed back one interval
    assert [r.outcome for r in history] == ["failed"] * 3
    assert history[0].exit_code == 1
    monkeypatch.setenv("FAKE_CRAWL_EXIT", "0")
    tick(db_url, at(45))
    assert len(runs(sessions)) == 3  # backing off
    tick(db_url, at(60))
    with sessions() as session:
        (job,) = list_jobs(session, at(61))
    assert (job.consecutive_failures, job.failing, job.last_outcome) == (0, False, "success")


def test_a_site_lock_lost_to_a_racing_scheduler_undoes_only_that_claim(
    db_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from aggregator.jobs import claims

    add_job(sessions, "holder", site="detik")
    with sessions.begin() as session:
        (held,) = claims.claim_due(session, at(0), "other-scheduler", 600)
    add_job(sessions, "racer", site="detik", now=at(1))
    add_job(sessions, "free", site="kompas", now=at(1))
    # Pretend the conflict check ran before the other scheduler's lock became visible.
    monkeypatch.setattr(claims, "_free_of_conflicts", lambda _s, due, _now, _limit: due)
    with sessions.begin() as session:
        got = claims.claim_due(session, at(2), "me", 600)
    assert [c.name for c in got] == ["free"]
    with sessions() as session:
        racer = session.scalars(select(Schedule).where(Schedule.name == "racer")).one()
        assert racer.current_run_id is None
        assert racer.next_due_at <= at(2)
        owners = sorted((r.schedule_id, r.owner) for r in session.scalars(select(JobRun)))
    assert owners == [(held.schedule_id, "other-scheduler"), (3, "me")]


def _finish_with_articles(sessions: sessionmaker[Session], now: dt.datetime,
                          inserted: int) -> Schedule:  # fmt: skip
    """Claim the due job, record a crawl_runs row for it with `inserted` new articles, finish."""
    from aggregator.jobs import claims, leases
    from aggregator.storage.runs import record_crawl_run

    with sessions.begin() as session:
        (claim,) = claims.claim_due(session, now, "me", 600)
    with sessions.begin() as session:
        record_crawl_run(session, started_at=now, finished_at=now, sites=["detik"],
                         stats={"store/inserted": inserted}, finish_reason="finished",
                         job={"job_id": claim.schedule_id, "job_run_id": claim.run_id,
                              "trigger": claim.trigger})  # fmt: skip
        run = leases.finish(session, claim.run_id, "success", now)
        assert run is not None
        assert run.articles_new == inserted
        assert run.crawl_run_id is not None
    with sessions() as session:
        return session.scalars(select(Schedule)).one()


def test_adaptive_interval_follows_new_articles(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_schedule(session, "adaptive", StartOptions(sites=["detik"]), Cadence(every_s=3600),
                     now=T0, adaptive=True)  # fmt: skip
    job = _finish_with_articles(sessions, at(0), 12)  # a busy source: poll sooner
    assert job.interval_s == 2700
    assert job.next_due_at == at(45)
    job = _finish_with_articles(sessions, at(45), 0)  # then quiet: poll later again
    assert job.interval_s == 4050
    assert job.next_due_at == at(45) + dt.timedelta(seconds=4050)
    with sessions() as session:
        (info,) = list_jobs(session, at(50))
    assert info.interval_s == 4050
    assert info.adaptive


def test_manual_run_keeps_the_slots_and_a_failing_tick_exits_1(
    db_url: str, sessions: sessionmaker[Session], fake_crawl: Path
) -> None:
    from tests.jobs.conftest import cli

    add_job(sessions, "news", now=at(0))
    tick(db_url, at(0))
    manual = cli("schedule", "run", "news", "--db", db_url, "--now", at(5).isoformat())
    assert manual.returncode == 0, manual.stderr
    assert manual.stdout.split() == ["news", "manual", "success"]
    with sessions() as session:
        (job,) = list_jobs(session, at(6))
    assert job.next_due_at == at(15)  # the manual run moved no slot
    failing = cli("schedule", "run-due", "--db", db_url, "--now", at(15).isoformat(),
                  env={"FAKE_CRAWL_EXIT": "3"})  # fmt: skip
    assert failing.returncode == 1
    assert failing.stdout.split() == ["news", "schedule", "failed"]
    assert [(r.trigger, r.outcome, r.exit_code) for r in runs(sessions)] == [
        ("schedule", "success", 0), ("manual", "success", 0), ("schedule", "failed", 3)]
