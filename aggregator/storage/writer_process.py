"""`BatchWriter` in a child process: the store's CPU work leaves the crawl's interpreter.

Upserts, full-text indexing, MinHash signatures, LSH lookups and cluster merges cost
milliseconds of CPU per article.  On the writer thread they hold the crawl's GIL, so
the crawl slowed down as the store's share grew (docs/store-performance.md).
`ProcessWriter` has `BatchWriter`'s methods; each call is sent over a pipe to a
`BatchWriter` running in a spawned child, and answered there.  Only the pickled items
cross the pipe (about 1 ms per 100-article batch).

Nothing is lost when the child goes away: if it dies or cannot be started, the call is
retried on an in-process `BatchWriter` (upserts are idempotent: a batch the child had
committed is then counted as unchanged) and every later call stays in-process.  The
child ignores SIGINT (a Ctrl-C reaches the whole process group; the crawl decides when
to stop) and exits when its pipe closes, after the batch in hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import pickle
import signal
import threading
from collections import Counter, defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aggregator.items import ArticleItem
from aggregator.storage.runs import json_safe
from aggregator.storage.writer import BatchOutcome, BatchWriter

__all__ = ["ProcessWriter", "make_writer"]

log = logging.getLogger(__name__)
#: Seconds to wait for the child to exit after the last call.
_JOIN_TIMEOUT_S = 30.0
#: Seconds for the child to start and open the database (spawn re-imports the package).
_OPEN_TIMEOUT_S = 120.0


def make_writer(url: str, *, dead_letter: str | Path, mode: str = "process") -> Any:
    """A `ProcessWriter` (`mode="process"`) or a plain `BatchWriter` (`"thread"`)."""
    if mode == "thread":
        return BatchWriter(url, dead_letter=dead_letter)
    if mode != "process":
        raise ValueError(f"unknown store writer mode {mode!r}: use 'process' or 'thread'")
    return ProcessWriter(url, dead_letter=dead_letter)


def _serve(conn: Connection, url: str, dead_letter: str) -> None:
    """The child: answer (method, args) messages until `finish_run` or a closed pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    writer = BatchWriter(url, dead_letter=dead_letter)
    while True:
        try:
            method, args, fetches, failed = conn.recv()
        except (EOFError, OSError):
            break  # the crawl went away: nothing more will come
        for fetch in fetches:
            writer.queue_failed_fetch(fetch[0], fetch[1], **fetch[2])
        for item, reason, stage in failed:
            writer.queue_failed_item(item, reason, stage=stage)
        try:
            reply: tuple[str, Any] = ("ok", getattr(writer, method)(*args))
        except Exception as exc:  # the caller re-raises it
            reply = ("error", _picklable(exc))
        conn.send(reply)
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
        self.dead_letter = Path(dead_letter)
        self._conn: Connection | None = None
        self._proc: Any = None
        self._local: BatchWriter | None = None  # the fallback once the child is gone
        self._lock = threading.Lock()  # guards the queues, fed from the reactor thread
        self._fetches: list[tuple[str, str, dict[str, Any]]] = []
        self._failed: list[tuple[Any, str, str]] = []
        #: Fetch failures per source seen here (the child keeps the authoritative counts).
        self.per_source: dict[str, Counter[str]] = defaultdict(Counter)

    def open(self) -> None:
        """Start the child and open the database there (schema to head)."""
        ctx = multiprocessing.get_context("spawn")  # never fork a process with a reactor
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, self.url, str(self.dead_letter)),
                                 name="aggregator-store-writer", daemon=True)  # fmt: skip
        try:
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

    def finish_run(self, started_at: dt.datetime, stats: dict[str, Any], sites: list[str],
                   reason: str | None) -> int | None:  # fmt: skip
        """Record the crawl run, then let the child exit."""
        try:
            run_id: int | None = self._call("finish_run", started_at, stats, sites, reason)
        finally:
            self._stop()
        return run_id

    def queue_failed_fetch(self, url: str, reason: str, **kwargs: Any) -> None:
        """Called from the reactor thread: sent with the next call."""
        # Only what `flush_queued` records: signal kwargs also carry `signal` and `sender`.
        extra: dict[str, Any] = {k: kwargs[k] for k in ("status", "source", "kind") if k in kwargs}
        with self._lock:
            self._fetches.append((url, reason, extra))
        self.per_source[str(kwargs.get("source") or "?")]["fetch_failures"] += 1

    def queue_failed_item(self, item: Any, reason: str, *, stage: str) -> None:
        """Remember an item to record in `failed_items`; sent with the next call."""
        with self._lock:
            self._failed.append((item, reason, stage))

    def _take_queued(self) -> tuple[list[Any], list[Any]]:
        with self._lock:
            fetches, self._fetches = self._fetches, []
            failed, self._failed = self._failed, []
        return fetches, [(_sendable(i), r, s) for i, r, s in failed]

    def _call(self, method: str, *args: Any, timeout: float | None = None) -> Any:
        """Run `method(*args)` in the child (or in-process once the child is gone)."""
        fetches, failed = self._take_queued()
        if self._conn is not None:
            try:
                self._conn.send((method, args, fetches, failed))
                if timeout is not None and not self._conn.poll(timeout):
                    raise TimeoutError(f"writer process did not answer {method} in {timeout} s")
                status, value = self._conn.recv()
            except Exception as exc:  # dead child, broken pipe, an unpicklable value...
                log.error("store: writer process failed (%s); continuing in-process", exc)
                self._go_local()
            else:
                if status == "error":
                    raise value
                return value
        assert self._local is not None
        for url, reason, extra in fetches:
            self._local.queue_failed_fetch(url, reason, **extra)
        for item, reason, stage in failed:
            self._local.queue_failed_item(item, reason, stage=stage)
        return getattr(self._local, method)(*args)

    def _go_local(self) -> None:
        """Switch to an in-process writer for the rest of the crawl."""
        self._stop()
        if self._local is None:
            self._local = BatchWriter(self.url, dead_letter=self.dead_letter)
            self._local.open()
            for source, counts in self.per_source.items():
                self._local.per_source[source].update(counts)

    def _stop(self) -> None:
        """Close the pipe and reap the child."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
        if self._proc is not None:
            self._proc.join(_JOIN_TIMEOUT_S)
            if self._proc.is_alive():
                log.error("store: writer process did not exit; terminating it")
                self._proc.terminate()
                self._proc.join(5)
            self._proc = None


def _sendable(item: Any) -> Any:
    """The item when it pickles, else its JSON-safe form (a failed item is never lost)."""
    try:
        pickle.dumps(item)
    except Exception:
        return json_safe(item)
    return item
