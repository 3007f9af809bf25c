"""One source: its runs over time, HTTP outcomes, coverage, text shape and freshness."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aggregator.health.report import verdict_dict
from aggregator.health.rules import HealthConfig, judge
from aggregator.health.store import recent_runs
from aggregator.storage.models import Article
from aggregator.storage.models_runs import FailedFetch
from aggregator.web.common import counts, iso, percentile
from aggregator.web.overview import FIELDS, coverage

#: Runs drawn on the source's charts, and articles read for the freshness lag.
CHART_RUNS = 60
LAG_SAMPLE = 300


class NotFound(LookupError):
    """The page's object does not exist (rendered as a 404)."""


def _series(runs: list[Any]) -> dict[str, Any]:
    """Chart columns, oldest run first (uPlot wants ascending x)."""
    ordered = list(reversed(runs))
    rules = sorted({name for r in ordered for name in r.rule_hits})
    cov = [coverage(r) for r in ordered]
    return {
        "t": [r.started_at.timestamp() for r in ordered],
        "pages": [r.pages_fetched for r in ordered],
        "stored": [r.articles_stored for r in ordered],
        "failed": [r.fetch_failures for r in ordered],
        "body": [r.median_body_chars for r in ordered],
        "zone": [r.zone_corrections for r in ordered],
        "lag_p50": [r.lag_p50_seconds for r in ordered],
        "lag_p95": [r.lag_p95_seconds for r in ordered],
        **{f"cov_{f}": [c[f] for c in cov] for f in FIELDS},
        "rules": {name: [r.rule_hits.get(name, 0) for r in ordered] for name in rules},
    }  # fmt: skip


def freshness(session: Session, source: str) -> dict[str, Any]:
    """first_seen_at - published_at over the source's newest articles (p50, p95, seconds)."""
    stmt = (select(Article.first_seen_at, Article.published_at)
            .where(Article.source == source, Article.published_at.is_not(None))
            .order_by(Article.published_at.desc()).limit(LAG_SAMPLE))  # fmt: skip
    lags = [(seen - pub).total_seconds() for seen, pub in session.execute(stmt) if pub]
    return {"articles": len(lags), "p50_seconds": percentile(lags, 0.5),
            "p95_seconds": percentile(lags, 0.95)}  # fmt: skip


def failed_fetches(session: Session, source: str | None, limit: int = 20) -> list[dict[str, Any]]:
    """The newest failed fetches (of one source, or of all)."""
    stmt = select(FailedFetch).order_by(FailedFetch.last_failed_at.desc()).limit(limit)
    if source is not None:
        stmt = stmt.where(FailedFetch.source == source)
    return [{"url": f.url, "source": f.source, "kind": f.kind, "status": f.status,
             "reason": f.reason, "attempts": f.attempts, "last_failed_at": iso(f.last_failed_at),
             "crawl_run_id": f.crawl_run_id} for f in session.scalars(stmt)]  # fmt: skip


def source_detail(session: Session, name: str, *, now: dt.datetime | None = None,
                  config: HealthConfig | None = None) -> dict[str, Any]:  # fmt: skip
    """Everything the source page shows."""
    cfg = config or HealthConfig()
    now = now or dt.datetime.now(dt.UTC)
    runs = recent_runs(session, name, max(CHART_RUNS, cfg.window + 1))
    known = runs or session.scalar(select(Article.id).where(Article.source == name).limit(1))
    if not known:
        raise NotFound(f"no source named {name!r}")
    statuses: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    rejects: Counter[str] = Counter()
    drops: Counter[str] = Counter()
    for r in runs:
        drops.update(r.drop_reasons)
        statuses.update(r.status_counts)
        failures.update(r.failure_reasons)
        rejects.update(r.reject_reasons)
    latest = runs[0] if runs else None
    return {
        "source": name,
        "verdict": verdict_dict(judge(name, runs[: cfg.window + 1], now=now, config=cfg)),
        "series": _series(runs),
        "status_mix": counts(statuses), "failure_reasons": counts(failures),
        "reject_reasons": counts(rejects), "drop_reasons": counts(drops),
        "latest": None if latest is None else {
            "crawl_run_id": latest.crawl_run_id, "started_at": iso(latest.started_at),
            "median_body_chars": latest.median_body_chars, "coverage": coverage(latest),
            "zone_corrections": latest.zone_corrections, "rule_hits": counts(latest.rule_hits),
            "bot_challenges": latest.bot_challenges},
        "freshness": freshness(session, name),
        "failed_fetches": failed_fetches(session, name),
    }  # fmt: skip
