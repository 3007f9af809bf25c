"""The overview: one row per source with its verdict, sparkline data and coverage."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.health.report import runs_by_source, source_names, verdict_dict
from aggregator.health.rules import HealthConfig, Status, judge
from aggregator.storage.models_runs import FailedFetch
from aggregator.web.common import age_seconds, iso

FIELDS = ("title", "date", "author", "body")


def coverage(run: Any) -> dict[str, float | None]:
    """Share of a run's articles that had each field."""
    n = run.articles_scraped
    return {f: (getattr(run, f"with_{f}") / n if n else None) for f in FIELDS}


def overview(session: Session, *, now: dt.datetime | None = None,
             config: HealthConfig | None = None) -> dict[str, Any]:  # fmt: skip
    """Every source: status, reasons, last success and age, runs sparkline, coverage."""
    cfg = config or HealthConfig()
    now = now or dt.datetime.now(dt.UTC)
    runs = runs_by_source(session, cfg.window + 1)
    failed = {source: n for source, n in session.execute(
        select(FailedFetch.source, func.count()).group_by(FailedFetch.source))}
    rows = []
    for name in source_names(session):
        history = runs.get(name, [])
        verdict = judge(name, history, now=now, config=cfg)
        stored = [r.articles_stored for r in reversed(history)]
        latest = history[0] if history else None
        rows.append({
            **verdict_dict(verdict),
            "last_success_age_seconds": age_seconds(verdict.last_success_at, now),
            "spark": {"t": [r.started_at.timestamp() for r in reversed(history)],
                      "stored": stored,
                      "baseline": statistics.median(stored[:-1]) if len(stored) > 1 else None},
            "coverage": coverage(latest) if latest else dict.fromkeys(FIELDS),
            "last_run_stored": latest.articles_stored if latest else None,
            "failed_fetches": int(failed.get(name, 0)),
        })  # fmt: skip
    severity = [str(s) for s in Status]
    rows.sort(key=lambda r: (-severity.index(r["status"]), r["source"]))  # worst first
    summary: dict[str, int] = {}
    for row in rows:
        summary[row["status"]] = summary.get(row["status"], 0) + 1
    return {"generated_at": iso(now), "summary": summary, "sources": rows}
