"""Start a distributed job: register it in Redis and run N local worker processes.

`launch_job(...)` is what `aggregator crawl --frontier URL --workers N` calls, and what a
scheduler calls to run a job "distributed" (`start_workers` when it must not block).
Workers on other machines join with `aggregator worker --frontier URL --job NAME`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from aggregator.crawler import (
    CrawlOptions,
    build_settings,
    check_database,
    interrupt_bounds,
    spider_kwargs,
    validate_options,
)
from aggregator.exceptions import ConfigError
from aggregator.frontier import forkserver
from aggregator.frontier import job as jobs
from aggregator.frontier.forkserver import WorkerProcess, start_worker
from aggregator.frontier.idle import Snapshot, read_snapshot
from aggregator.frontier.keys import JobKeys, check_job_name, new_job_name
from aggregator.interrupt.signals import EXIT_SLACK_SECONDS

log = logging.getLogger(__name__)

LocalWorker = WorkerProcess | subprocess.Popen[bytes]

#: Most local workers one command starts (each is a full Scrapy process).
MAX_LOCAL_WORKERS: Final = 64


@dataclass(slots=True)
class JobResult:
    """What a distributed job did: per-worker exit codes, rows and the totals."""

    job: str
    exit_codes: list[int]
    workers: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """True when a worker failed or nothing was stored while errors happened."""
        if any(code != 0 for code in self.exit_codes):
            return True
        return not self.totals.get("items_stored") and bool(self.totals.get("errors"))


def worker_command(frontier_url: str, job: str, *, db_url: str, log_level: str,
                   settings: dict[str, Any]) -> list[str]:  # fmt: skip
    """The `aggregator worker` arguments for one local worker."""
    cmd = ["worker", "--frontier", frontier_url, "--job", job, "--db", db_url,
           "--log-level", log_level, "--quiet"]  # fmt: skip
    for name, value in settings.items():
        cmd += ["-s", f"{name}={json.dumps(value) if not isinstance(value, str) else value}"]
    return cmd


def _migrate_once(settings: Any) -> None:
    """Bring the schema to head here, so N workers starting at once do not race to."""
    if not settings.getbool("AGGREGATOR_STORE_ENABLED", True):
        return
    from aggregator.storage.db import make_engine
    from aggregator.storage.migrate import ensure_schema

    engine = make_engine(settings["DATABASE_URL"])
    try:
        ensure_schema(engine)
    finally:
        engine.dispose()


def start_workers(options: CrawlOptions, frontier_url: str, workers: int,
                  job: str | None = None) -> tuple[str, list[LocalWorker]]:  # fmt: skip
    """Register the job and start `workers` local processes (forked from a process that
    imported their code once, see `forkserver`); returns at once."""
    if not 1 <= workers <= MAX_LOCAL_WORKERS:
        raise ConfigError(f"--workers must be between 1 and {MAX_LOCAL_WORKERS}")
    validate_options(options)
    settings = build_settings(options)
    forkserver.warm_up()  # imports the workers' code while the database is checked
    check_database(settings)  # one clear line before any process starts
    _migrate_once(settings)
    server = jobs.connect(frontier_url)
    name = check_job_name(job) if job else new_job_name()
    overrides = dict(options.settings)
    if options.max_articles:
        overrides["CLOSESPIDER_ITEMCOUNT"] = options.max_articles  # per worker
    jobs.create_job(server, name, spider_kwargs(options))
    server.close()
    cmd = worker_command(frontier_url, name, db_url=settings["DATABASE_URL"],
                         log_level=options.log_level, settings=overrides)  # fmt: skip
    return name, [start_worker(cmd) for _ in range(workers)]


def wait_for_job(frontier_url: str, name: str, procs: list[LocalWorker], *,
                 progress: Callable[[Snapshot], None] | None = None,
                 interval: float = 0.5) -> list[int]:  # fmt: skip
    """Wait for the local workers, reporting the job's queue while they run."""
    if progress is None:  # nothing to report: return the moment the last one exits
        return [p.wait() for p in procs]
    server = jobs.connect(frontier_url)
    while running := [p for p in procs if p.poll() is None]:
        try:
            progress(read_snapshot(server, JobKeys(name)))
        except Exception as exc:  # a progress line is not worth failing a job for
            log.debug("progress: %s", exc)
        with contextlib.suppress(subprocess.TimeoutExpired):
            running[-1].wait(timeout=interval)  # not a sleep: the last exit ends it at once
    server.close()
    return [p.wait() for p in procs]


def launch_job(options: CrawlOptions, frontier_url: str, workers: int, *,
               job: str | None = None,
               progress: Callable[[Snapshot], None] | None = None,
               started: Callable[[str], None] | None = None) -> JobResult:  # fmt: skip
    """Run a distributed job to completion with `workers` local processes.

    `started(name)` is called once the workers are launched (to tell the job's name
    while it runs).  On Ctrl-C the workers are left to stop gracefully (`stop_workers`)
    and KeyboardInterrupt is raised again."""
    from aggregator.frontier.runs import job_totals, load_job_totals

    name, procs = start_workers(options, frontier_url, workers, job)
    settings = build_settings(options)
    if started is not None:
        started(name)
    try:
        codes = wait_for_job(frontier_url, name, procs, progress=progress)
    except KeyboardInterrupt:
        stop_workers(procs, _graceful_stop_bound(settings))
        raise
    if not settings.getbool("AGGREGATOR_STORE_ENABLED", True):
        return JobResult(name, codes, [], job_totals([]))  # nothing records runs then
    rows, totals = load_job_totals(settings["DATABASE_URL"], name)
    return JobResult(name, codes, rows, totals)


def _graceful_stop_bound(settings: Any) -> float:
    """Seconds a worker may take to stop after its first signal: its grace period, then
    the forced stop's deadline and exit slack, plus a margin for process teardown."""
    grace, force_timeout = interrupt_bounds(settings)
    return grace + force_timeout + EXIT_SLACK_SECONDS + 3.0


def stop_workers(procs: list[LocalWorker], wait_s: float) -> list[int | None]:
    """After Ctrl-C in the launcher: let the local workers stop gracefully.

    A terminal sends SIGINT to the whole process group, so the workers already have it
    and are handing their requests back to the queue and recording their runs; a signal
    from here would be their second, which forces the stop and dead-letters what they
    hold.  So wait for them, up to `wait_s`, and send SIGTERM only to a worker still
    running then: the signal reached this process alone, and SIGTERM is the worker's
    first.  A second Ctrl-C while waiting ends the wait (the terminal gave the workers
    their second signal too).  Returns the workers' exit codes (None: still running).
    """
    deadline = time.monotonic() + wait_s
    try:
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
    return [proc.poll() for proc in procs]
