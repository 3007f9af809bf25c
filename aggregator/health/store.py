"""Write and read `source_runs` rows (callers own the session and transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from aggregator.exceptions import StorageError
from aggregator.storage.models_health import SourceRunMetrics


def record_source_runs(session: Session, crawl_run_id: int,
                       rows: Iterable[Mapping[str, Any]]) -> int:  # fmt: skip
    """Insert one row per source for a finished crawl run; returns how many."""
    count = 0
    for row in rows:
        session.add(SourceRunMetrics(crawl_run_id=crawl_run_id, **row))
        count += 1
    session.flush()
    return count


def has_source_runs(session: Session) -> bool:
    """True when the database has the `source_runs` table (revision 0014_source_runs)."""
    return bool(inspect(session.connection()).has_table(SourceRunMetrics.__tablename__))


def require_source_runs(session: Session) -> None:
    """Raise a one-line `StorageError` when the database predates `source_runs`."""
    if not has_source_runs(session):
        raise StorageError("the database has no source health table (revision "
                           "0014_source_runs): run `aggregator db upgrade`")  # fmt: skip


def recent_runs(session: Session, source: str, limit: int) -> list[SourceRunMetrics]:
    """A source's newest runs, newest first."""
    stmt = (select(SourceRunMetrics).where(SourceRunMetrics.source == source)
            .order_by(SourceRunMetrics.started_at.desc(), SourceRunMetrics.id.desc())
            .limit(limit))  # fmt: skip
    return list(session.scalars(stmt))
