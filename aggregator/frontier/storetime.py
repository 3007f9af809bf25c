"""Where a worker's store time goes: whole batches, the writers' lock, clustering.

Attached to the store's `BatchWriter` after it opens: SQLAlchemy cursor events time the
PostgreSQL advisory-lock statement (time spent waiting for other workers' writes), a
wrapper times `assign_clusters`, another the whole `write_batch`.  Reported as
`frontier/store/*_ms` stats, so each worker's crawl_runs row carries its own breakdown.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event

LOCK_MARKER = "pg_advisory_xact_lock"


class StoreTimer:
    """Accumulated milliseconds per part of the store's work (writer thread only)."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {"write": 0.0, "lock_wait": 0.0, "cluster": 0.0, "sql": 0.0}

    def attach(self, writer: Any) -> None:
        """Time `writer` from now on (call after `writer.open()`)."""
        if writer.engine is not None:
            event.listen(writer.engine, "before_cursor_execute", self._before)
            event.listen(writer.engine, "after_cursor_execute", self._after)
        writer.write_batch = self._timed(writer.write_batch, "write")
        if writer.cluster_fn is not None:
            writer.cluster_fn = self._timed(writer.cluster_fn, "cluster")

    def _timed(self, func: Callable[..., Any], part: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.ms[part] += (time.perf_counter() - started) * 1000

        return timed

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["aggregator_sql_started"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started = conn.info.pop("aggregator_sql_started", None)
        if started is None:
            return
        elapsed = (time.perf_counter() - started) * 1000
        self.ms["lock_wait" if LOCK_MARKER in statement else "sql"] += elapsed

    def stats(self) -> dict[str, int]:
        """`frontier/store/<part>_ms` counters."""
        return {f"frontier/store/{part}_ms": round(value) for part, value in self.ms.items()}
