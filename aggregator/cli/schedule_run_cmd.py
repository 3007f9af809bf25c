"""`aggregator schedule run-due|daemon|run`: claim due jobs and run each as a crawl subprocess."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Annotated

import typer

from aggregator.cli.schedule_cmd import (
    DbOption,
    NowOption,
    migrated_db,
    parse_now,
    schedule_app,
)
from aggregator.exceptions import StorageError

log = logging.getLogger(__name__)

LeaseOption = Annotated[str, typer.Option(
    "--lease", metavar="DURATION",
    help="Lease length: a run not renewed for this long is reclaimed as abandoned")]  # fmt: skip
ParallelOption = Annotated[int, typer.Option(
    "--max-parallel", min=1, metavar="N", help="Crawls run at once by this scheduler")]


@contextlib.contextmanager
def stop_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT while the block runs (old handlers restored after)."""
    stop = threading.Event()

    def _handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    old = {sig: signal.signal(sig, _handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _scheduler(db: str | None, now: str | None, lease: str, max_parallel: int) -> object:
    from aggregator.jobs.runner import Clock, Scheduler
    from aggregator.jobs.timing import parse_duration
    lease_s = parse_duration(lease, what="--lease")
    clock = Clock(parse_now(now))
    return Scheduler(migrated_db(db), clock=clock, lease_s=lease_s, max_parallel=max_parallel,
                     on_event=lambda text: typer.echo(text, err=True))  # fmt: skip


def _finish(scheduler: object, stop: threading.Event, grace_s: float) -> int:
    """Wait for the runs (SIGTERM: give them `grace_s`), print outcomes; 1 if any failed."""
    from aggregator.jobs.runner import Scheduler

    assert isinstance(scheduler, Scheduler)
    try:
        scheduler.wait(stop.is_set)
        if stop.is_set():
            typer.echo(f"stopping: letting running crawls finish (at most {grace_s:.0f}s)",
                       err=True)  # fmt: skip
            scheduler.shutdown(grace_s)
    finally:
        scheduler.close()
    for result in scheduler.outcomes:
        typer.echo(f"{result.name}\t{result.trigger}\t{result.outcome}")
    return 1 if any(not r.ok for r in scheduler.outcomes) else 0


@schedule_app.command("run-due")
def run_due(
    db: DbOption = None,
    now: NowOption = None,
    lease: LeaseOption = "120s",
    max_parallel: ParallelOption = 4,
    grace: Annotated[str, typer.Option(
        "--grace", metavar="DURATION",
        help="On SIGTERM, how long running crawls may go on")] = "60s",
) -> None:
    """One tick: claim every due job, run each as an `aggregator crawl` subprocess, record it.

    Exits 1 when a job it ran failed; safe to call from any number of machines at once.
    """
    from aggregator.jobs.runner import Scheduler
    from aggregator.jobs.timing import parse_duration

    grace_s = parse_duration(grace, what="--grace", allow_zero=True)
    scheduler = _scheduler(db, now, lease, max_parallel)
    assert isinstance(scheduler, Scheduler)
    with stop_signals() as stop:
        try:
            scheduler.tick()
        except BaseException:
            scheduler.close()
            raise
        code = _finish(scheduler, stop, grace_s)
    raise typer.Exit(code)


@schedule_app.command("run")
def run_now(
    name: Annotated[str, typer.Argument(help="Job name")],
    db: DbOption = None,
    now: NowOption = None,
    lease: LeaseOption = "120s",
) -> None:
    """Run one job now (trigger `manual`), whether it is due or not; its slots stay."""
    from aggregator.jobs.runner import Scheduler

    scheduler = _scheduler(db, now, lease, 1)
    assert isinstance(scheduler, Scheduler)
    with stop_signals() as stop:
        try:
            scheduler.run_now(name)
        except BaseException:
            scheduler.close()
            raise
        code = _finish(scheduler, stop, 60.0)
    raise typer.Exit(code)


@schedule_app.command("daemon")
def daemon(
    db: DbOption = None,
    tick: Annotated[str, typer.Option(
        "--tick", metavar="DURATION", help="Time between ticks")] = "30s",
    lease: LeaseOption = "120s",
    max_parallel: ParallelOption = 4,
    grace: Annotated[str, typer.Option(
        "--grace", metavar="DURATION",
        help="On SIGTERM, how long running crawls may go on before they are ended")] = "5m",
    now: NowOption = None,
) -> None:
    """Tick forever; SIGTERM (or Ctrl-C) stops claiming, lets running crawls finish, exits 0."""
    from aggregator.jobs.runner import POLL_S, Scheduler
    from aggregator.jobs.timing import parse_duration

    tick_s = parse_duration(tick, what="--tick")
    grace_s = parse_duration(grace, what="--grace", allow_zero=True)
    scheduler = _scheduler(db, now, lease, max_parallel)
    assert isinstance(scheduler, Scheduler)
    typer.echo(f"scheduler {scheduler.owner}: ticking every {tick_s}s", err=True)
    with stop_signals() as stop:
        next_tick = time.monotonic()
        try:
            while not stop.is_set():
                if time.monotonic() >= next_tick:
                    next_tick = time.monotonic() + tick_s
                    _safe_tick(scheduler)
                scheduler.poll()
                stop.wait(POLL_S)
            typer.echo(f"stopping: letting running crawls finish (at most {grace_s}s)", err=True)
            scheduler.shutdown(grace_s)
        finally:
            scheduler.close()
    typer.echo("scheduler stopped", err=True)


def _safe_tick(scheduler: object) -> None:
    """A tick whose database error is reported and survived (the daemon keeps going)."""
    from aggregator.jobs.runner import Scheduler

    assert isinstance(scheduler, Scheduler)
    try:
        scheduler.tick()
    except StorageError as exc:
        typer.echo(f"error: tick failed: {exc}", err=True)
