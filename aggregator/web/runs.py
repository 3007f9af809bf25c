"""Crawl runs: the list, and one run with its per-source rows and all its stats."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from aggregator.storage.models_health import SourceRunMetrics
from aggregator.storage.models_runs import CrawlRun, FailedFetch
from aggregator.web.common import counts, iso, seconds_between
from aggregator.web.schedules import job_names, run_trigger
from aggregator.web.sources import NotFound

PAGE_SIZE = 50


def _run_row(run: CrawlRun, names: dict[int, str]) -> dict[str, Any]:
    """The counters of one run."""
    return {
        "id": run.id, "spider": run.spider, "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "duration_seconds": seconds_between(run.started_at, run.finished_at),
        "sites": list(run.sites or []), "pages_fetched": run.pages_fetched,
        "items_scraped": run.items_scraped, "items_stored": run.items_stored,
        "items_inserted": run.items_inserted, "items_updated": run.items_updated,
        "duplicates": run.duplicates, "items_dropped": run.items_dropped,
        "errors": run.errors, "items_failed": run.items_failed,
        "finish_reason": run.finish_reason, "drops_by_reason": counts(run.drops_by_reason),
        "trigger": run_trigger(run.job_id, run.trigger, names),
    }  # fmt: skip


def list_runs(session: Session, page: int = 1) -> dict[str, Any]:
    """One page of runs, newest first."""
    page = max(1, page)
    total = session.scalar(select(func.count()).select_from(CrawlRun)) or 0
    # The whole stats JSON (hundreds of keys a run) is not read for the list.
    stmt = (select(CrawlRun).options(defer(CrawlRun.stats))
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))  # fmt: skip
    found = list(session.scalars(stmt))
    names = job_names(session, (run.job_id for run in found))
    runs = [_run_row(run, names) for run in found]
    return {"page": page, "page_size": PAGE_SIZE, "total": total, "runs": runs}


def _source_row(s: SourceRunMetrics) -> dict[str, Any]:
    """One source's row within a run."""
    return {
        "source": s.source, "pages_fetched": s.pages_fetched,
        "articles_scraped": s.articles_scraped, "articles_stored": s.articles_stored,
        "articles_failed": s.articles_failed, "fetch_failures": s.fetch_failures,
        "not_articles": s.not_articles, "bot_challenges": s.bot_challenges,
        "zone_corrections": s.zone_corrections, "median_body_chars": s.median_body_chars,
        "status_counts": counts(s.status_counts), "failure_reasons": counts(s.failure_reasons),
        "reject_reasons": counts(s.reject_reasons), "drop_reasons": counts(s.drop_reasons),
        "rule_hits": counts(s.rule_hits),
    }  # fmt: skip


def run_detail(session: Session, run_id: int) -> dict[str, Any]:
    """A run with its per-source rows, failed fetches and full stats."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise NotFound(f"no crawl run {run_id}")
    sources = session.scalars(select(SourceRunMetrics).where(
        SourceRunMetrics.crawl_run_id == run_id).order_by(SourceRunMetrics.source))  # fmt: skip
    failed = session.scalars(select(FailedFetch).where(FailedFetch.crawl_run_id == run_id)
                             .order_by(FailedFetch.id).limit(100))  # fmt: skip
    stats = run.stats or {}
    return {
        "run": _run_row(run, job_names(session, [run.job_id])),
        "sources": [_source_row(s) for s in sources],
        "failed_fetches": [{"url": f.url, "source": f.source, "kind": f.kind,
                            "status": f.status, "reason": f.reason} for f in failed],
        "stats": {str(k): stats[k] for k in sorted(stats)},
    }  # fmt: skip
