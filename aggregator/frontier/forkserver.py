"""Local workers forked from a process that has imported their code once.

A worker's start-up is mostly imports: Scrapy, Twisted, SQLAlchemy, Alembic, trafilatura
and the project's pipelines cost about 2 s of CPU per interpreter.  N workers started as
N fresh interpreters on a 2-core machine spend N times that before the first fetch
(measured: 4 workers opened their spiders 5.9-6.5 s after launch, 1 worker after 2.9 s).
multiprocessing's fork server imports the code once and forks every worker from there,
so start-up no longer grows with N, and the workers share those pages (copy on write).

Each worker still runs the `aggregator worker` command (`aggregator.cli.main.main`), with
its own signal handling, exit status and worker id; `WorkerProcess` gives the launcher
the `subprocess.Popen` interface it already uses.  Where the platform has no fork server,
workers are plain `aggregator worker` subprocesses, as before.

One fork server serves a launching process for its lifetime, so workers get the
environment and standard streams of the moment the first job started in that process
(`aggregator crawl` and the scheduler's jobs start one job per process).
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from typing import Any, Final

#: Imported once by the fork server; the project's Scrapy components are added from its
#: settings (`preload_modules`).
BASE_PRELOAD: Final = (
    "aggregator.cli.main",
    "aggregator.frontier.worker",
    "aggregator.frontier.spider",
    "aggregator.frontier.settings",
    "scrapy.crawler",
    "scrapy_redis.scheduler",
)


def preload_modules() -> list[str]:
    """Modules a worker imports anyway: the base list and the module of every component
    a worker's settings name (none of them installs a reactor)."""
    from aggregator.frontier.settings import SCHEDULER_CLASSES, frontier_components

    paths = [path for table in frontier_components().values() for path in sorted(table)]
    paths += SCHEDULER_CLASSES.values()
    return list(dict.fromkeys([*BASE_PRELOAD, *(p.rsplit(".", 1)[0] for p in paths)]))


def fork_server_available() -> bool:
    """True where multiprocessing offers a fork server (Linux, macOS; not Windows)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


def run_cli(argv: list[str]) -> None:
    """A forked worker's body: the `aggregator` command line, its status as exit code."""
    from aggregator.cli.main import main

    sys.exit(main(argv))


class WorkerProcess:
    """A forked worker with the parts of `subprocess.Popen` the launcher uses."""

    def __init__(self, process: Any) -> None:
        self.process = process

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    @property
    def returncode(self) -> int | None:
        """The exit status; minus the signal number if a signal ended it (as Popen)."""
        code = self.process.exitcode
        return None if code is None else int(code)

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """The exit status once the worker has ended (TimeoutExpired first, as Popen)."""
        self.process.join(timeout)
        code = self.returncode
        if code is None:
            raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0.0)
        return code

    def terminate(self) -> None:
        self.process.terminate()

    def kill(self) -> None:
        self.process.kill()


def warm_up() -> None:
    """Start the fork server now, so its imports overlap the launcher's own set-up
    (database check, migrations) instead of following it."""
    if fork_server_available():
        from multiprocessing import forkserver

        forkserver.set_forkserver_preload(preload_modules())
        forkserver.ensure_running()


def start_worker(argv: list[str]) -> WorkerProcess | subprocess.Popen[bytes]:
    """Start one local worker running `aggregator <argv>`."""
    if not fork_server_available():
        return subprocess.Popen([sys.executable, "-m", "aggregator.cli.main", *argv])  # noqa: S603
    warm_up()  # a no-op once the server runs
    context = multiprocessing.get_context("forkserver")
    process = context.Process(target=run_cli, args=(argv,), name="aggregator-worker")
    process.start()
    return WorkerProcess(process)
