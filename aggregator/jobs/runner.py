"""Running claimed jobs: one `aggregator crawl` subprocess each, leases renewed, timeouts enforced.

Scrapy's reactor cannot restart inside one process, so every run is its own process (in
its own process group, so a timeout ends the crawl and anything it started).  The child
learns which job run it is through `-s AGGREGATOR_JOB_*` settings, and its store pipeline
writes them on its `crawl_runs` row; the database URL travels in the environment
(`AGGREGATOR_DATABASE_URL`), never on a command line that `ps` shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy import update

from aggregator.jobs import leases
from aggregator.jobs.claims import claim_due
from aggregator.jobs.models import FAILED, SUCCESS, TIMEOUT, JobRun
from aggregator.storage.db import make_engine, session_factory, storage_errors

log = logging.getLogger(__name__)

#: Environment variable replacing the crawl command (tests use a tiny fake crawl).
CRAWL_CMD_ENV = "AGGREGATOR_SCHEDULE_CRAWL_CMD"
#: Seconds a lease lasts without renewal; renewed every third of that while a crawl lives.
DEFAULT_LEASE_S = 120
#: Seconds between SIGTERM and SIGKILL when a run is ended (timeout, shutdown).
KILL_GRACE_S = 10.0
#: Characters of a failed crawl's output kept in `job_runs.message`.
LOG_TAIL = 1500
POLL_S = 0.1


@dataclass(slots=True)
class Clock:
    """The scheduler's clock: real UTC time, or `--now` moving forward in real time."""

    start: dt.datetime | None = None
    _mono0: float = field(default_factory=time.monotonic)

    def now(self) -> dt.datetime:
        """The current instant (aware UTC)."""
        if self.start is None:
            return dt.datetime.now(dt.UTC)
        return self.start + dt.timedelta(seconds=time.monotonic() - self._mono0)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one job run ended."""

    run_id: int
    name: str
    trigger: str
    outcome: str
    exit_code: int | None
    signal: int | None
    message: str | None

    @property
    def ok(self) -> bool:
        """True for a successful run."""
        return self.outcome == SUCCESS


@dataclass(slots=True)
class _Active:
    claim: leases.Claim
    proc: subprocess.Popen[bytes]
    output: IO[bytes]
    started: float
    term_at: float | None = None
    timed_out: bool = False
    stopped: bool = False  # ended by our shutdown or because the lease was lost


def default_owner() -> str:
    """`host:pid`, recorded on each claimed run."""
    return f"{socket.gethostname()}:{os.getpid()}"


def crawl_command() -> list[str]:
    """The crawl command prefix: `$AGGREGATOR_SCHEDULE_CRAWL_CMD`, else this Python's CLI."""
    custom = os.environ.get(CRAWL_CMD_ENV, "").strip()
    if custom:
        return shlex.split(custom)
    return [sys.executable, "-m", "aggregator.cli.main", "crawl"]


def job_settings(claim: leases.Claim) -> list[str]:
    """`-s` options that tell the child crawl which job run it is."""
    pairs = {"AGGREGATOR_JOB_RUN_ID": claim.run_id, "AGGREGATOR_JOB_TRIGGER": claim.trigger}
    if claim.schedule_id is not None:
        pairs["AGGREGATOR_JOB_ID"] = claim.schedule_id
    return [arg for k, v in pairs.items() for arg in ("-s", f"{k}={v}")]


def describe_exit(code: int) -> tuple[int | None, int | None, str]:
    """(exit_code, signal, text) for a Popen return code (negative = killed by a signal)."""
    if code < 0:
        return None, -code, f"killed by {signal.Signals(-code).name}"
    if code > 128 and code - 128 in (signal.SIGINT, signal.SIGTERM):
        sig = signal.Signals(code - 128)
        return code, int(sig), f"exit {code} (stopped by {sig.name})"
    return code, None, f"exit {code}"


class Scheduler:
    """Claims due jobs, runs them as subprocesses, records how each ended."""

    def __init__(self, db_url: str, *, clock: Clock | None = None,
                 lease_s: int = DEFAULT_LEASE_S, max_parallel: int = 4,
                 kill_grace_s: float = KILL_GRACE_S, owner: str | None = None,
                 on_event: Callable[[str], None] | None = None) -> None:  # fmt: skip
        self.db_url = db_url
        self.engine = make_engine(db_url)
        self.sessions = session_factory(self.engine)
        self.clock = clock or Clock()
        self.lease_s = max(3, lease_s)
        self.max_parallel = max(1, max_parallel)
        self.kill_grace_s = kill_grace_s
        self.owner = owner or default_owner()
        self.on_event = on_event or (lambda text: log.info("%s", text))
        self.queued: list[leases.Claim] = []
        self.active: dict[int, _Active] = {}
        self.outcomes: list[Outcome] = []
        self._renewed = time.monotonic()

    @property
    def busy(self) -> bool:
        """True while claimed runs are queued or running."""
        return bool(self.queued or self.active)

    def tick(self) -> list[leases.Claim]:
        """Claim every due job and start as many as `max_parallel` allows."""
        with storage_errors(self.engine.url), self.sessions.begin() as session:
            claims = claim_due(session, self.clock.now(), self.owner, self.lease_s)
        for claim in claims:
            self.on_event(f"claimed {claim.name} ({claim.trigger}, "
                          f"slot {claim.slot_at:%Y-%m-%d %H:%M})")  # fmt: skip
        self.queued.extend(claims)
        self._start_queued()
        return claims

    def run_now(self, name: str) -> leases.Claim:
        """Claim job `name` at once (trigger `manual`) and start it."""
        from aggregator.jobs.catalog import get_schedule

        with storage_errors(self.engine.url), self.sessions.begin() as session:
            claim = leases.claim_manual(session, get_schedule(session, name), self.clock.now(),
                                        self.owner, self.lease_s)  # fmt: skip
        self.queued.append(claim)
        self._start_queued()
        return claim

    def submit(self, claim: leases.Claim) -> None:
        """Run a claim made elsewhere (a backfill day)."""
        self.queued.append(claim)
        self._start_queued()

    def _start_queued(self) -> None:
        while self.queued and len(self.active) < self.max_parallel:
            self._launch(self.queued.pop(0))

    def _launch(self, claim: leases.Claim) -> None:
        argv = [*crawl_command(), *claim.crawl_args, *job_settings(claim)]
        env = {**os.environ, "AGGREGATOR_DATABASE_URL": self.db_url}
        output = tempfile.TemporaryFile()  # noqa: SIM115  (closed when the run is recorded)
        try:
            # The command is ours (or the operator's AGGREGATOR_SCHEDULE_CRAWL_CMD); the
            # job's arguments are a list, never a shell string.
            proc = subprocess.Popen(  # noqa: S603
                argv, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=env, start_new_session=True)  # fmt: skip
        except OSError as exc:
            output.close()
            self._record(claim, FAILED, None, None, f"cannot start the crawl: {exc}")
            return
        self.active[claim.run_id] = _Active(claim, proc, output, time.monotonic())
        with storage_errors(self.engine.url), self.sessions.begin() as session:
            session.execute(update(JobRun).where(JobRun.id == claim.run_id).values(pid=proc.pid))

    def poll(self) -> list[Outcome]:
        """Collect finished crawls, enforce timeouts, renew leases, start queued runs."""
        done = []
        for run_id, act in list(self.active.items()):
            code = act.proc.poll()
            if code is None:
                self._enforce_runtime(act)
                continue
            del self.active[run_id]
            done.append(self._finished(act, code))
        if time.monotonic() - self._renewed >= self.lease_s / 3:
            self._renew()
        self._start_queued()
        return done

    def _enforce_runtime(self, act: _Active) -> None:
        """SIGTERM a run past `--max-runtime`, SIGKILL it after the grace period."""
        now = time.monotonic()
        limit = act.claim.max_runtime_s
        if act.term_at is None and limit is not None and now - act.started > limit:
            act.timed_out = True
            self._signal(act, signal.SIGTERM)
        elif act.term_at is not None and now - act.term_at > self.kill_grace_s:
            self._signal(act, signal.SIGKILL)

    def _signal(self, act: _Active, sig: signal.Signals) -> None:
        if sig == signal.SIGTERM:
            act.term_at = time.monotonic()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(act.proc.pid, sig)

    def _finished(self, act: _Active, code: int) -> Outcome:
        exit_code, sig, text = describe_exit(code)
        if act.timed_out:
            outcome, text = TIMEOUT, f"ran past --max-runtime {act.claim.max_runtime_s}s; {text}"
        elif act.stopped:
            outcome, text = FAILED, f"stopped by the scheduler; {text}"
        else:
            outcome = SUCCESS if code == 0 else FAILED
        act.output.seek(0)
        tail = act.output.read().decode("utf-8", "replace")[-LOG_TAIL:]
        act.output.close()
        message = text if outcome == SUCCESS else f"{text}\n{tail}".strip()
        return self._record(act.claim, outcome, exit_code, sig, message)

    def _record(self, claim: leases.Claim, outcome: str, exit_code: int | None,
                sig: int | None, message: str | None) -> Outcome:  # fmt: skip
        with storage_errors(self.engine.url), self.sessions.begin() as session:
            leases.finish(session, claim.run_id, outcome, self.clock.now(), exit_code=exit_code,
                          signal=sig, message=message)  # fmt: skip
        result = Outcome(claim.run_id, claim.name, claim.trigger, outcome, exit_code, sig, message)
        self.outcomes.append(result)
        first_line = message.splitlines()[0] if message else ""
        self.on_event(f"{claim.name}: {outcome} ({first_line})")
        return result

    def _renew(self) -> None:
        ids = [*self.active, *(c.run_id for c in self.queued)]
        self._renewed = time.monotonic()
        try:
            with storage_errors(self.engine.url), self.sessions.begin() as session:
                live = leases.renew(session, ids, self.clock.now(), self.lease_s)
        except Exception as exc:  # the database is away: keep running, try again soon
            log.warning("cannot renew leases: %s", exc)
            return
        for run_id in set(ids) - live:  # reclaimed by another scheduler: stop, it may rerun
            act = self.active.get(run_id)
            if act is not None and act.term_at is None:
                act.stopped = True
                self._signal(act, signal.SIGTERM)
            self.queued = [c for c in self.queued if c.run_id != run_id]

    def wait(self, should_stop: Callable[[], bool] = lambda: False) -> None:
        """Poll until nothing is queued or running (or `should_stop` says so)."""
        while self.busy and not should_stop():
            self.poll()
            time.sleep(POLL_S)

    def shutdown(self, grace_s: float) -> None:
        """Give queued claims back, let running crawls finish for `grace_s`, then end them."""
        with storage_errors(self.engine.url), self.sessions.begin() as session:
            for claim in self.queued:
                leases.release_unstarted(session, claim.run_id)
        self.queued = []
        deadline = time.monotonic() + grace_s
        self.wait(lambda: time.monotonic() >= deadline)
        for act in self.active.values():
            act.stopped = True
            self._signal(act, signal.SIGTERM)
        self.wait()

    def close(self) -> None:
        """Dispose of the engine."""
        self.engine.dispose()
