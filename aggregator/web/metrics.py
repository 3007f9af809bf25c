"""Prometheus metrics read from the database at scrape time (no push gateway).

A custom collector: every scrape of `/metrics` runs a handful of small queries, so the
numbers are as fresh as the database, and nothing is kept in the dashboard process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.health.report import runs_by_source, source_names
from aggregator.health.rules import HealthConfig, Status, judge
from aggregator.storage.models import Article
from aggregator.web.schedules import scheduler_lag_seconds

SessionFactory = Callable[[], Session]


def _gauge(name: str, doc: str, labels: list[str]) -> GaugeMetricFamily:
    """A labelled gauge family."""
    return GaugeMetricFamily(f"aggregator_{name}", doc, labels=labels)


class DatabaseCollector(Collector):
    """Per-source health and volume, read at scrape time."""

    def __init__(self, sessions: SessionFactory, config: HealthConfig | None = None) -> None:
        self.sessions = sessions
        self.config = config or HealthConfig()

    def collect(self) -> Iterator[Metric]:
        """Yield every metric family."""
        now = dt.datetime.now(dt.UTC)
        with self.sessions() as session:
            yield from self._sources(session, now)
            lag = _gauge("scheduler_lag_seconds", "How overdue each scheduled job is.", ["job"])
            for job, seconds in sorted(scheduler_lag_seconds(session, now).items()):
                lag.add_metric([job], seconds)
            yield lag

    def _sources(self, session: Session, now: dt.datetime) -> Iterator[Metric]:
        """The per-source families."""
        fams: dict[str, GaugeMetricFamily] = {
            "success": _gauge("source_last_success_timestamp_seconds",
                              "Start of the newest run that stored articles.", ["source"]),
            "stored": _gauge("source_last_run_articles_stored",
                             "Articles stored by the newest run.", ["source"]),
            "duration": _gauge("source_last_run_duration_seconds",
                               "Duration of the newest run.", ["source"]),
            "failures": _gauge("source_last_run_fetch_failures",
                               "Failed fetches of the newest run, by reason.",
                               ["source", "reason"]),
            "articles": _gauge("source_articles", "Articles stored in the database.",
                               ["source"]),
            "status": _gauge("source_status", "1 for the source's current health status.",
                             ["source", "status"]),
        }  # fmt: skip
        totals = {source: n for source, n in session.execute(
            select(Article.source, func.count()).group_by(Article.source))}
        runs = runs_by_source(session, self.config.window + 1)
        for name in source_names(session):
            history = runs.get(name, [])
            self._add_source(fams, name, history, now)
            fams["articles"].add_metric([name], float(totals.get(name, 0)))
        yield from fams.values()

    def _add_source(self, fams: dict[str, GaugeMetricFamily], name: str, history: list[Any],
                    now: dt.datetime) -> None:  # fmt: skip
        """One source's samples."""
        verdict = judge(name, history, now=now, config=self.config)
        for status in Status:
            fams["status"].add_metric([name, str(status)], float(verdict.status is status))
        if verdict.last_success_at is not None:
            fams["success"].add_metric([name], verdict.last_success_at.timestamp())
        if not history:
            return
        latest = history[0]
        fams["stored"].add_metric([name], float(latest.articles_stored))
        if latest.finished_at is not None:
            seconds = (latest.finished_at - latest.started_at).total_seconds()
            fams["duration"].add_metric([name], seconds)
        for reason, count in sorted(latest.failure_reasons.items()):
            fams["failures"].add_metric([name, reason], float(count))


def render_metrics(sessions: SessionFactory, config: HealthConfig | None = None) -> bytes:
    """The Prometheus text exposition of a fresh registry holding the collector."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector(sessions, config))
    return generate_latest(registry)
