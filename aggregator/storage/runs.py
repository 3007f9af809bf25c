"""Crawl bookkeeping writes: crawl runs, failed fetches and failed items.

Scrapy-free: the store pipeline hands over the stats dict; spiders and middlewares of
other stages call `record_failed_fetch` through it (see docs/database.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from aggregator.storage.dialect import insert_for
from aggregator.storage.models_runs import CrawlRun, CrawlRunSource, FailedFetch, FailedItem

#: Stat-key prefixes that count drops by reason.  Scrapy's `item_dropped_reasons_count/`
#: is left out: it counts the same drops again by exception class (DropItem), dedup
#: duplicates included, which `duplicates` already counts.
DROP_PREFIXES = ("spider/not_article/", "validate/dropped/", "clean/dropped/",
                 "dates/dropped/", "store/dropped/")  # fmt: skip
#: Single drop counters of the pipelines that raise DropItem for other reasons.
DROP_KEYS = ("dates/rejected_future", "dedup/invalid_url")
DUPLICATE_PREFIX = "dedup/duplicate/"
MAX_REASON = 2000


def _now() -> dt.datetime:
    """The current UTC instant."""
    return dt.datetime.now(dt.UTC)


def json_safe(value: Any) -> Any:
    """Turn stats and item values into JSON-serialisable data."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe(dataclasses.asdict(value))
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def summarize_stats(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The crawl-run counters drawn from a Scrapy stats dict."""
    drops: dict[str, int] = {}
    for key, value in stats.items():
        for prefix in DROP_PREFIXES:
            if key.startswith(prefix) and isinstance(value, int):
                drops[key] = drops.get(key, 0) + value
        if key in DROP_KEYS and isinstance(value, int):
            drops[key] = value
    duplicates = sum(v for k, v in stats.items() if k.startswith(DUPLICATE_PREFIX)
                     and isinstance(v, int))  # fmt: skip
    return {
        "pages_fetched": int(stats.get("downloader/response_count", 0)),
        "items_scraped": int(stats.get("item_scraped_count", 0)),
        "items_stored": int(stats.get("store/stored", 0)),
        "items_inserted": int(stats.get("store/inserted", 0)),
        "items_updated": int(stats.get("store/updated", 0)),
        "duplicates": duplicates,
        "items_dropped": sum(drops.values()),
        "drops_by_reason": drops,
        "errors": int(stats.get("log_count/ERROR", 0)),
        "items_failed": int(stats.get("store/failed", 0)),
    }


def record_crawl_run(
    session: Session,
    *,
    started_at: dt.datetime,
    finished_at: dt.datetime | None,
    sites: list[str],
    stats: Mapping[str, Any],
    finish_reason: str | None,
    per_source: Mapping[str, Mapping[str, int]] | None = None,
    spider: str = "news",
    job: Mapping[str, Any] | None = None,
) -> int:
    """Insert one `crawl_runs` row (plus its per-source rows) and return its id.

    `job`: `job_id`, `job_run_id`, `trigger` of the scheduled job that started the run
    (`aggregator.jobs`); a crawl started by hand is recorded with trigger `manual`.
    """
    job = job or {}
    run = CrawlRun(spider=spider, started_at=started_at, finished_at=finished_at,
                   sites=list(sites), finish_reason=finish_reason,
                   stats=json_safe(dict(stats)), **summarize_stats(stats),
                   job_id=job.get("job_id"), job_run_id=job.get("job_run_id"),
                   trigger=job.get("trigger") or "manual",
                   frontier_job=stats.get("frontier/job"),
                   worker_id=stats.get("frontier/worker"))  # fmt: skip
    session.add(run)
    session.flush()
    for source, counts in sorted((per_source or {}).items()):
        session.add(CrawlRunSource(crawl_run_id=run.id, source=source,
                                   items_stored=counts.get("stored", 0),
                                   items_failed=counts.get("failed", 0),
                                   fetch_failures=counts.get("fetch_failures", 0)))  # fmt: skip
    session.flush()
    return run.id


def record_failed_fetch(
    session: Session,
    url: str,
    *,
    reason: str,
    status: int | None = None,
    source: str | None = None,
    kind: str | None = None,
    crawl_run_id: int | None = None,
    when: dt.datetime | None = None,
) -> None:
    """Record (or bump the attempt count of) a URL that could not be fetched."""
    when = when or _now()
    row = {"url": url[:2048], "reason": reason[:MAX_REASON], "status": status,
           "source": source, "kind": kind, "crawl_run_id": crawl_run_id, "attempts": 1,
           "first_failed_at": when, "last_failed_at": when}  # fmt: skip
    stmt = insert_for(session, FailedFetch.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["url"],
        set_={
            "attempts": FailedFetch.__table__.c.attempts + 1,
            "reason": stmt.excluded.reason,
            "status": stmt.excluded.status,
            "kind": stmt.excluded.kind,
            "last_failed_at": stmt.excluded.last_failed_at,
            "crawl_run_id": stmt.excluded.crawl_run_id,
        },
    )
    session.execute(stmt, row)


def record_failed_item(
    session: Session,
    item: Any,
    *,
    reason: str,
    stage: str = "store",
    crawl_run_id: int | None = None,
    when: dt.datetime | None = None,
) -> None:
    """Keep an item that could not be processed, whole (as JSON), with the reason."""
    payload = json_safe(item)
    if not isinstance(payload, dict):
        payload = {"value": payload}
    url = payload.get("url")
    session.add(FailedItem(url=str(url)[:2048] if url else None, source=payload.get("source"),
                           stage=stage, reason=reason[:MAX_REASON], payload=payload,
                           failed_at=when or _now(), crawl_run_id=crawl_run_id))  # fmt: skip
    session.flush()
