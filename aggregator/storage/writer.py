"""The store pipeline's writer: Scrapy-free, runs on one thread, never loses an item.

A batch is written in one transaction (upsert + clustering).  If the batch fails, each
item is retried alone, so one bad item cannot sink the others; an item that still
fails goes to `failed_items`, or to a dead-letter JSONL file when the database itself
is unreachable.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from aggregator.health.store import record_source_runs
from aggregator.items import ArticleItem
from aggregator.storage.db import describe_error, make_engine, session_factory
from aggregator.storage.deadletter import DeadLetter, fetch_record, item_record, run_record
from aggregator.storage.migrate import ensure_schema
from aggregator.storage.repository import (
    UpsertResult,
    record_crawl_run,
    record_failed_fetch,
    record_failed_item,
    upsert_articles,
)

log = logging.getLogger(__name__)
ClusterFn = Callable[[Session, list[int]], Any]
QueuedItem = tuple[Any, str, str]  # item, reason, stage
QueuedFetch = tuple[str, str, dict[str, Any]]  # url, reason, extra
#: The keyword arguments of a failed fetch that are recorded (signal kwargs also carry
#: `signal` and `sender`, which neither pickle nor belong in the database).
FETCH_FIELDS = ("status", "source", "kind")


def _load_cluster_fn() -> ClusterFn | None:
    """The dedup stage's `assign_clusters`, when installed."""
    try:
        from aggregator.dedup.clusters import assign_clusters
    except ImportError:  # pragma: no cover - dedup is part of the package
        log.warning("aggregator.dedup.clusters is missing: articles are stored unclustered")
        return None
    return assign_clusters


@dataclass(slots=True)
class BatchOutcome:
    """Counters of one batch (`store/<key>` stats) and stored items per source."""

    counts: Counter[str] = field(default_factory=Counter)
    stored_by_source: Counter[str] = field(default_factory=Counter)


class BatchWriter:
    """Owns the engine; every method runs on the single writer thread."""

    def __init__(self, url: str, *, dead_letter: str | Path, cluster: bool = True) -> None:
        self.url = url
        self.dead_letters = DeadLetter(dead_letter)
        self.cluster_fn = _load_cluster_fn() if cluster else None
        self.engine: Engine | None = None
        self.session: sessionmaker[Session] | None = None
        self._lock = threading.Lock()  # guards the queues, fed from the reactor thread
        self._fetches: list[tuple[str, str, dict[str, Any]]] = []
        self._items: list[tuple[Any, str, str]] = []
        self.per_source: dict[str, Counter[str]] = defaultdict(Counter)

    @property
    def dead_letter(self) -> Path:
        """The dead-letter file in use (it moves to a fallback when unwritable)."""
        return self.dead_letters.path

    def take_queued(self) -> tuple[list[QueuedItem], list[QueuedFetch]]:
        """Remove and return the queued failed items and failed fetches (forced stop)."""
        with self._lock:
            items, self._items = self._items, []
            fetches, self._fetches = self._fetches, []
        return items, fetches

    def requeue(self, items: list[QueuedItem], fetches: list[QueuedFetch]) -> None:
        """Queue failures taken from another writer (already counted per source there)."""
        with self._lock:
            self._items.extend(items)
            self._fetches.extend(fetches)

    def open(self) -> None:
        """Create the engine and bring the schema to head."""
        self.engine = make_engine(self.url)
        ensure_schema(self.engine)
        self.session = session_factory(self.engine)

    def write_batch(self, batch: list[ArticleItem]) -> BatchOutcome:
        """Store a batch in one transaction; on failure retry item by item."""
        outcome = BatchOutcome()
        try:
            self._write(batch, outcome)
        except Exception as exc:
            log.warning("store: batch of %d failed (%s); retrying one by one",
                        len(batch), describe_error(exc))  # fmt: skip
            outcome.counts["batch_failures"] += 1
            for item in batch if len(batch) > 1 else []:
                try:
                    self._write([item], outcome)
                except Exception as item_exc:
                    self._fail(item, describe_error(item_exc), outcome)
            if len(batch) == 1:
                self._fail(batch[0], describe_error(exc), outcome)
        self.flush_queued()
        return outcome

    def _write(self, batch: list[ArticleItem], outcome: BatchOutcome) -> None:
        """One transaction: upsert, then cluster the new and changed articles."""
        assert self.session is not None, "open() first"
        with self.session.begin() as session:
            result = upsert_articles(session, batch)
            self._cluster(session, result, outcome)
        self._count(batch, result, outcome)

    def _cluster(self, session: Session, result: UpsertResult, outcome: BatchOutcome) -> None:
        """Assign story clusters in a savepoint: a clustering bug must not lose articles."""
        if self.cluster_fn is None or not result.changed_ids:
            return
        try:
            with session.begin_nested():
                self.cluster_fn(session, result.changed_ids)
        except Exception:
            log.exception("store: clustering failed for %d articles", len(result.changed_ids))
            outcome.counts["cluster_errors"] += 1

    def _count(self, batch: list[ArticleItem], result: UpsertResult, outcome: BatchOutcome) -> None:
        """Add one successful write to the counters."""
        outcome.counts.update({"stored": len(batch), "inserted": result.inserted,
                               "updated": result.updated, "unchanged": result.unchanged,
                               "aliased": result.aliased, "collapsed": result.collapsed,
                               "batches": 1})  # fmt: skip
        for item in batch:
            outcome.stored_by_source[item.source] += 1
            self.per_source[item.source]["stored"] += 1

    def _fail(self, item: ArticleItem, reason: str, outcome: BatchOutcome) -> None:
        """Keep an item that could not be stored."""
        log.error("store: could not store %s: %s", item.url, reason)
        outcome.counts["failed"] += 1
        self.per_source[item.source or "?"]["failed"] += 1
        self.queue_failed_item(item, reason, stage="store")

    def queue_failed_fetch(self, url: str, reason: str, **kwargs: Any) -> None:
        """Called from the reactor thread: remember a failed fetch."""
        with self._lock:
            self._fetches.append((url, reason, kwargs))
        self.per_source[str(kwargs.get("source") or "?")]["fetch_failures"] += 1

    def queue_failed_item(self, item: Any, reason: str, *, stage: str) -> None:
        """Remember an item to record in `failed_items`."""
        with self._lock:
            self._items.append((item, reason, stage))

    def flush_queued(self, crawl_run_id: int | None = None) -> None:
        """Write queued failures; if the database refuses, dead-letter the items."""
        with self._lock:
            fetches, self._fetches = self._fetches, []
            items, self._items = self._items, []
        if not (fetches or items):
            return
        try:
            assert self.session is not None
            with self.session.begin() as session:
                for url, reason, extra in fetches:
                    allowed = {k: extra.get(k) for k in FETCH_FIELDS}
                    record_failed_fetch(session, url, reason=reason, crawl_run_id=crawl_run_id,
                                        **allowed)  # fmt: skip
                for item, reason, stage in items:
                    record_failed_item(session, item, reason=reason, stage=stage,
                                       crawl_run_id=crawl_run_id)  # fmt: skip
        except Exception as exc:
            log.error("store: cannot record failures (%s); writing %s", describe_error(exc),
                      self.dead_letter)  # fmt: skip
            self._dead_letter(items, fetches, describe_error(exc))

    def _dead_letter(self, items: list[tuple[Any, str, str]],
                     fetches: list[tuple[str, str, dict[str, Any]]], why: str) -> None:  # fmt: skip
        """Append items and failed fetches to the JSONL dead-letter file (nothing is lost)."""
        records = [item_record(item, reason, stage, why) for item, reason, stage in items]
        records += [fetch_record(url, reason, extra, why) for url, reason, extra in fetches]
        self.dead_letters.write(records)

    def _record_health(self, session: Session, run_id: int, source_metrics: Any,
                       stats: dict[str, Any], started_at: dt.datetime,
                       finished_at: dt.datetime, sites: list[str]) -> None:  # fmt: skip
        """The per-source health rows, in a savepoint: they must never cost the run's row."""
        try:
            with session.begin_nested():
                rows = source_metrics.rows(self.per_source, stats, started_at=started_at,
                                           finished_at=finished_at, sites=sites)  # fmt: skip
                record_source_runs(session, run_id, rows)
        except Exception:
            log.exception("store: cannot record per-source health metrics")

    def finish_run(self, started_at: dt.datetime, stats: dict[str, Any], sites: list[str],
                   reason: str | None, job: dict[str, Any] | None = None,
                   source_metrics: Any = None) -> int | None:  # fmt: skip
        """Record the crawl run and the last queued failures; dispose of the engine.

        `job`: the scheduled job that started the crawl (`aggregator.jobs`), if any.
        `source_metrics`: an `aggregator.health.collect.SourceRunCollector`, whose rows go
        to `source_runs` in the same transaction as the run.
        """
        run_id = None
        try:
            assert self.session is not None
            finished_at = dt.datetime.now(dt.UTC)
            with self.session.begin() as session:
                run_id = record_crawl_run(session, started_at=started_at,
                                          finished_at=finished_at, sites=sites,
                                          stats=stats, finish_reason=reason,
                                          per_source=self.per_source, job=job)  # fmt: skip
                if source_metrics is not None:
                    self._record_health(session, run_id, source_metrics, stats, started_at,
                                        finished_at, sites)  # fmt: skip
        except Exception as exc:
            why = describe_error(exc)
            log.error("store: cannot record the crawl run (%s); writing %s", why,
                      self.dead_letter)  # fmt: skip
            record = run_record(started_at=started_at, finished_at=dt.datetime.now(dt.UTC),
                                sites=sites, stats=stats, finish_reason=reason,
                                per_source=self.per_source, why=why)  # fmt: skip
            self.dead_letters.write([record])
        self.flush_queued(crawl_run_id=run_id)
        if self.engine is not None:
            self.engine.dispose()
        return run_id
