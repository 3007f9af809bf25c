"""SIGINT/SIGTERM handling for one crawl process (Scrapy-free).

Phases: `starting` (before the reactor runs: a signal raises `Interrupted` at once),
`running` (the first signal calls `on_graceful` and starts the grace timer; a second
signal, or the timer, calls `on_force` on a thread of its own), `done` (the crawl has
returned: the exit status remembers the signal; a second signal exits at once, and the
grace timer, if one runs, ends the process `force_timeout` after it fires).

A handler only appends to a list and hands work to other threads: logging or taking
locks inside a signal handler can deadlock against the code it interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

#: Seconds between the first signal and the forced stop (AGGREGATOR_INTERRUPT_GRACE).
GRACE_SECONDS = 10.0
#: Seconds a forced stop may spend storing what it holds before it dead-letters the rest
#: and exits (AGGREGATOR_INTERRUPT_FORCE_TIMEOUT).
FORCE_SECONDS = 5.0
#: Slack on top of FORCE_SECONDS for the dead-letter write and the exit itself.
EXIT_SLACK_SECONDS = 2.0
HANDLED = (signal.SIGINT, signal.SIGTERM)


def exit_code(signum: int) -> int:
    """The shell convention: 128 + signal number (SIGINT 130, SIGTERM 143)."""
    return 128 + int(signum)


def signal_name(signum: int) -> str:
    """'SIGINT', 'SIGTERM'..."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class Interrupted(KeyboardInterrupt):
    """A signal arrived before the crawl started; `exit_code` is 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal_name(signum)}")
        self.signum = signum
        self.exit_code = exit_code(signum)


class Interrupts:
    """Install handlers, remember the signals, drive the graceful and the forced stop."""

    def __init__(self, grace: float = GRACE_SECONDS, force_timeout: float = FORCE_SECONDS) -> None:
        self.grace = max(0.0, grace)
        self.force_timeout = max(0.5, force_timeout)
        self.received: list[int] = []
        self.first_at: float | None = None  # monotonic time of the first signal
        self.phase = "starting"
        self.forced = threading.Event()
        self.on_graceful: Callable[[], None] | None = None  # called from the handler
        self.on_force: Callable[[Interrupts, str], None] | None = None  # own thread
        self._timer: threading.Timer | None = None
        self._previous: dict[int, Any] = {}

    # -- state ---------------------------------------------------------------------
    @property
    def signum(self) -> int | None:
        """The first signal received, if any."""
        return self.received[0] if self.received else None

    @property
    def name(self) -> str | None:
        """'SIGINT' / 'SIGTERM' for the first signal, or None."""
        return signal_name(self.received[0]) if self.received else None

    @property
    def code(self) -> int:
        """The exit status an interrupted crawl must end with (0 when none arrived)."""
        return exit_code(self.received[0]) if self.received else 0

    @property
    def finish_reason(self) -> str:
        """`interrupted_sigint`, `interrupted_sigterm`: the crawl_runs finish reason."""
        return f"interrupted_{(self.name or 'signal').lower()}"

    # -- handlers ------------------------------------------------------------------
    def install(self) -> None:
        """Take over SIGINT and SIGTERM (main thread only)."""
        for signum in HANDLED:
            self._previous[signum] = signal.signal(signum, self._handle)

    def restore(self) -> None:
        """Put the previous handlers back."""
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        self.received.append(signum)
        if len(self.received) == 1:
            self.first_at = time.monotonic()
        if self.phase == "starting":
            raise Interrupted(self.received[0])
        if self.phase == "done":
            if len(self.received) > 1:  # the crawl is over; nothing is held any more
                _exit(self.code)
            return
        if len(self.received) == 1:
            if self.on_graceful is not None:
                self.on_graceful()
            self._start_grace_timer()
        else:
            self.force(f"{signal_name(signum)} received twice")

    def _start_grace_timer(self) -> None:
        self._timer = threading.Timer(self.grace, self.force, args=("grace period over",))
        self._timer.daemon = True
        self._timer.start()

    def force(self, why: str) -> None:
        """Start the forced stop once, on its own daemon thread."""
        if self.forced.is_set():
            return
        if self.phase == "done":
            # Everything is saved; the process is printing its summary or shutting down.
            # Give it the force timeout, then leave anyway: the bound holds regardless.
            self.forced.set()
            timer = threading.Timer(self.force_timeout, _exit, args=(self.code,))
            timer.daemon = True
            timer.start()
            return
        self.forced.set()
        target = self.on_force
        if target is None:  # nothing to save: exit now
            _exit(self.code or 1)
            return
        threading.Thread(target=target, args=(self, why), name="aggregator-forced-stop",
                         daemon=True).start()  # fmt: skip

    def finished(self) -> None:
        """The crawl has returned: nothing is held any more.

        A running grace timer is kept: if the process is still alive when it fires, it
        exits `force_timeout` later (see `force`), so the time bound holds to the end.
        """
        self.phase = "done"

    def elapsed(self) -> float:
        """Seconds since the first signal (0 when none)."""
        return 0.0 if self.first_at is None else time.monotonic() - self.first_at


def _exit(code: int) -> None:
    """Leave now, without waiting for threads (the forced stop has saved what it held)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe must not keep us alive
            stream.flush()
    os._exit(code)
