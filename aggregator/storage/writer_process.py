"""`BatchWriter` in a child process: the store's CPU work leaves the crawl's interpreter.

Upserts, MinHash signatures, LSH lookups and cluster merges cost milliseconds of CPU
per article.  On the writer thread they hold the crawl's GIL, so on a 2-core machine the
crawl ran at 0.6x its store-off rate while the second core sat idle
(docs/store-performance.md).  `ProcessWriter` has `BatchWriter`'s interface; each call
goes over a pipe to a `BatchWriter` in a child process and is answered there, so
parsing and storing run on different cores.  Only the items cross the pipe (pickled,
about 1 ms per 100-article batch).

Nothing is lost when the child goes away: if it dies or cannot be started, the call is
retried on an in-process `BatchWriter` (upserts are idempotent: a batch the child had
committed is then counted as unchanged) and every later call stays in-process.  The
child ignores SIGINT (a terminal's Ctrl-C reaches the whole process group; the crawl
decides when and how to stop, `aggregator.interrupt`) and exits when its pipe closes,
after the batch in hand.  SIGTERM ends it (so the interpreter's exit handlers can always
reap it); a group-wide SIGTERM is therefore survived by the in-process fallback.  A
forced stop kills it (`abort`).

The child is started from a fork server (a clean process that imported the writer
once), never forked from the crawl: a process with a running reactor and threads must
not be forked.  Where there is no fork server, `spawn` is used.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import resource
import signal
import threading
from collections import Counter, defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aggregator.items import ArticleItem
from aggregator.storage.deadletter import DeadLetter
from aggregator.storage.runs import json_safe
from aggregator.storage.writer import (
    FETCH_FIELDS,
    BatchOutcome,
    BatchWriter,
    QueuedFetch,
    QueuedItem,
)

__all__ = ["WRITER_MODES", "ProcessWriter", "make_writer"]

log = logging.getLogger(__name__)
WRITER_MODES = ("process", "thread")
#: Seconds to wait for the child to exit after the last call.
_JOIN_TIMEOUT_S = 30.0
#: Seconds for the child to start and open the database (the schema may be migrated).
_OPEN_TIMEOUT_S = 120.0


def make_writer(url: str, *, dead_letter: str | Path, mode: str = "process") -> Any:
    """A `ProcessWriter` (`mode="process"`) or a plain `BatchWriter` (`"thread"`)."""
    if mode == "thread":
        return BatchWriter(url, dead_letter=dead_letter)
    if mode != "process":
        raise ValueError(f"unknown store writer mode {mode!r}: use 'process' or 'thread'")
    return ProcessWriter(url, dead_letter=dead_letter)


def _context() -> Any:
    """The fork server where the platform has one (fast after the first start), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, url: str, dead_letter: str) -> None:
    """The child: answer (method, args, queued) messages until `finish_run` or EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    writer = BatchWriter(url, dead_letter=dead_letter)
    while True:
        try:
            method, args, fetches, failed = conn.recv()
        except (EOFError, OSError):
            break  # the crawl went away: nothing more will come
        for url_, reason, extra in fetches:
            writer.queue_failed_fetch(url_, reason, **extra)
        for item, reason, stage in failed:
            writer.queue_failed_item(item, reason, stage=stage)
        try:
            reply: tuple[str, Any] = ("ok", getattr(writer, method)(*args))
        except Exception as exc:  # the caller re-raises it
            reply = ("error", _picklable(exc))
        dead = writer.dead_letters
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        conn.send((*reply, {k: dict(v) for k, v in writer.per_source.items()},
                   (dead.records, dead.items, str(dead.path)), peak_mb))  # fmt: skip
        if method == "finish_run":
            break
    conn.close()


def _picklable(exc: Exception) -> Exception:
    """The exception itself when it pickles, else a RuntimeError with its message."""
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class ProcessWriter:
    """`BatchWriter`'s interface; the work happens in a child process (see module doc)."""

    def __init__(self, url: str, *, dead_letter: str | Path) -> None:
        self.url = url
        self.dead_letters = DeadLetter(dead_letter)
        self._conn: Connection | None = None
        self._proc: Any = None
        self._local: BatchWriter | None = None  # the fallback once the child is gone
        self._queue_lock = threading.Lock()  # the queues are fed from the reactor thread
        # One call on the pipe at a time: the forced stop may call from its own thread.
        self._pipe_lock = threading.Lock()
        self._fetches: list[QueuedFetch] = []
        self._items: list[QueuedItem] = []
        #: Per-source counts as the child last reported them, plus fetch failures queued
        #: here (what a forced stop dead-letters with the crawl run).
        self.per_source: dict[str, Counter[str]] = defaultdict(Counter)
        self._child_dead = (0, 0)  # dead-letter records and items the child wrote
        self.peak_rss_mb = 0.0  # the child's peak resident memory, as it last reported

    @property
    def dead_letter(self) -> Path:
        """The dead-letter file in use (it moves to a fallback when unwritable)."""
        return self.dead_letters.path

    @property
    def pid(self) -> int | None:
        """The child's process id, None when writing in-process."""
        return None if self._proc is None else int(self._proc.pid)

    def open(self) -> None:
        """Start the child and open the database there (schema to head)."""
        try:
            ctx = _context()
            parent, child = ctx.Pipe()
            self._proc = ctx.Process(target=_serve, args=(child, self.url, str(self.dead_letter)),
                                     name="aggregator-store-writer", daemon=True)  # fmt: skip
            self._proc.start()
        except Exception as exc:
            log.warning("store: writer process did not start (%s); writing in-process", exc)
            self._go_local()
            return
        child.close()
        self._conn = parent
        self._call("open", timeout=_OPEN_TIMEOUT_S)

    def write_batch(self, batch: list[ArticleItem]) -> BatchOutcome:
        """Store a batch in one transaction (see `BatchWriter.write_batch`)."""
        outcome: BatchOutcome = self._call("write_batch", batch)
        return outcome

    def flush_queued(self, crawl_run_id: int | None = None) -> None:
        """Write queued failures (see `BatchWriter.flush_queued`)."""
        self._call("flush_queued", crawl_run_id)

    def finish_run(self, *args: Any) -> int | None:
        """Record the crawl run (see `BatchWriter.finish_run`), then let the child exit."""
        try:
            run_id: int | None = self._call("finish_run", *args)
        finally:
            self._stop()
        return run_id

    def queue_failed_fetch(self, url: str, reason: str, **kwargs: Any) -> None:
        """Remember a failed fetch (any thread); it is sent with the next call."""
        extra = {k: kwargs[k] for k in FETCH_FIELDS if k in kwargs}
        if self._local is not None:  # counted there
            self._local.queue_failed_fetch(url, reason, **extra)
            return
        with self._queue_lock:
            self._fetches.append((url, reason, extra))
        self.per_source[str(kwargs.get("source") or "?")]["fetch_failures"] += 1

    def queue_failed_item(self, item: Any, reason: str, *, stage: str) -> None:
        """Remember an item to record in `failed_items`; it is sent with the next call."""
        if self._local is not None:
            self._local.queue_failed_item(item, reason, stage=stage)
            return
        with self._queue_lock:
            self._items.append((item, reason, stage))

    def take_queued(self) -> tuple[list[QueuedItem], list[QueuedFetch]]:
        """Remove and return the failures not yet sent (forced stop)."""
        if self._local is not None:
            return self._local.take_queued()
        with self._queue_lock:
            items, self._items = self._items, []
            fetches, self._fetches = self._fetches, []
        return items, fetches

    def abort(self) -> None:
        """Kill the child now (forced stop): what it held is dead-lettered by the caller."""
        proc = self._proc
        if proc is not None and proc.is_alive():
            proc.kill()
            proc.join(5)

    def _call(self, method: str, *args: Any, timeout: float | None = None) -> Any:
        """Run `method(*args)` in the child (or in-process once the child is gone)."""
        with self._pipe_lock:
            items, fetches = self.take_queued()
            if self._conn is not None:
                try:
                    return self._round_trip(method, args, fetches, items, timeout)
                except _ChildGone as exc:
                    log.error("store: writer process failed (%s); continuing in-process", exc)
                    self._go_local()
            assert self._local is not None
            self._local.requeue(items, fetches)
            return getattr(self._local, method)(*args)

    def _round_trip(self, method: str, args: tuple[Any, ...], fetches: list[QueuedFetch],
                    items: list[QueuedItem], timeout: float | None) -> Any:  # fmt: skip
        """Send one call and wait for its answer; `_ChildGone` when there is none."""
        assert self._conn is not None
        sendable = [(_sendable(i), r, s) for i, r, s in items]
        try:
            self._conn.send((method, args, fetches, sendable))
            if timeout is not None and not self._conn.poll(timeout):
                raise TimeoutError(f"no answer to {method} in {timeout} s")
            status, value, per_source, dead, self.peak_rss_mb = self._conn.recv()
        except Exception as exc:  # dead child, broken pipe, an unpicklable value...
            raise _ChildGone(f"{type(exc).__name__}: {exc}") from exc
        self._note_child_state(per_source, dead)
        if status == "error":
            raise value
        return value

    def _note_child_state(self, per_source: dict[str, dict[str, int]],
                          dead: tuple[int, int, str]) -> None:  # fmt: skip
        """Mirror the child's per-source counts and dead-letter writes."""
        for source, counts in per_source.items():
            mine = self.per_source[source]
            for key, value in counts.items():
                if key != "fetch_failures":  # counted here when queued
                    mine[key] = value
        records, items, path = dead
        self.dead_letters.records += records - self._child_dead[0]
        self.dead_letters.items += items - self._child_dead[1]
        self._child_dead = (records, items)
        self.dead_letters.path = Path(path)

    def _go_local(self) -> None:
        """Switch to an in-process writer for the rest of the crawl."""
        self._stop()
        if self._local is None:
            self._local = BatchWriter(self.url, dead_letter=self.dead_letter)
            self._local.dead_letters = self.dead_letters
            self._local.per_source = self.per_source
            self._local.open()

    def _stop(self) -> None:
        """Close the pipe and reap the child."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.join(_JOIN_TIMEOUT_S)
            if proc.is_alive():
                log.error("store: writer process did not exit; killing it")
                proc.kill()
                proc.join(5)


class _ChildGone(Exception):
    """The child did not answer: dead, unreachable, or it sent something unreadable."""


def _sendable(item: Any) -> Any:
    """The item when it pickles, else its JSON-safe form (a failed item is never lost)."""
    try:
        pickle.dumps(item)
    except Exception:
        return json_safe(item)
    return item
