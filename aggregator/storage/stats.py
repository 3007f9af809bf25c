"""Read-only summaries for `aggregator stats` and dashboards (through the SQL views)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Integer, String, column, func, select, table
from sqlalchemy.orm import Session

from aggregator.storage.db import TZDateTime
from aggregator.storage.models import (
    Article,
    ArticleAuthor,
    Author,
    CrawlRun,
    CrawlRunSource,
    FailedFetch,
    FailedItem,
    Source,
)

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")

_PER_DAY = table("v_articles_per_source_day", column("source", String),
                 column("day_wib", Date), column("articles", Integer))  # fmt: skip
_LATEST = table(
    "v_latest_crawl_per_source",
    column("source", String), column("crawl_run_id", Integer),
    column("started_at", TZDateTime()), column("finished_at", TZDateTime()),
    column("finish_reason", String), column("items_stored", Integer),
    column("items_failed", Integer), column("fetch_failures", Integer),
    column("outcome", String),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DayCount:
    """Articles of one source on one WIB day."""

    source: str
    day: dt.date
    articles: int


@dataclass(frozen=True, slots=True)
class SourceRun:
    """The latest crawl run that touched a source, and how it went."""

    source: str
    crawl_run_id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    finish_reason: str | None
    items_stored: int
    items_failed: int
    fetch_failures: int
    outcome: str


def articles_per_source_day(
    session: Session, *, days: int = 14, source: str | None = None,
    today: dt.date | None = None,
) -> list[DayCount]:  # fmt: skip
    """Article counts per source per WIB day over the last `days` days, newest first."""
    today = today or dt.datetime.now(WIB).date()
    stmt = select(_PER_DAY).where(_PER_DAY.c.day_wib > today - dt.timedelta(days=days))
    if source:
        stmt = stmt.where(_PER_DAY.c.source == source)
    stmt = stmt.order_by(_PER_DAY.c.day_wib.desc(), _PER_DAY.c.source)
    return [DayCount(r.source, _as_date(r.day_wib), int(r.articles)) for r in session.execute(stmt)]


def _as_date(value: Any) -> dt.date:
    """Views hand back dates as `date` (PostgreSQL) or ISO text (SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def latest_runs(session: Session, *, source: str | None = None) -> list[SourceRun]:
    """The latest crawl per source with its outcome."""
    stmt = select(_LATEST).order_by(_LATEST.c.source)
    if source:
        stmt = stmt.where(_LATEST.c.source == source)
    return [SourceRun(**row._asdict()) for row in session.execute(stmt)]


def totals(session: Session, *, source: str | None = None) -> dict[str, int]:
    """Row counts an analyst asks for first; of one source when `source` is given."""
    def count(model: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    if source is None:
        clusters = select(func.count(func.distinct(Article.cluster_id)))
        return {
            "articles": count(Article), "sources": count(Source), "authors": count(Author),
            "clusters": int(session.scalar(clusters) or 0), "crawl_runs": count(CrawlRun),
            "failed_fetches": count(FailedFetch), "failed_items": count(FailedItem),
        }  # fmt: skip
    of_source = Article.source == source
    authors = (select(func.count(func.distinct(ArticleAuthor.author_id)))
               .join(Article, Article.id == ArticleAuthor.article_id).where(of_source))  # fmt: skip
    clusters = select(func.count(func.distinct(Article.cluster_id))).where(of_source)
    return {
        "articles": count(Article, of_source), "sources": count(Source, Source.name == source),
        "authors": int(session.scalar(authors) or 0),
        "clusters": int(session.scalar(clusters) or 0),
        "crawl_runs": count(CrawlRunSource, CrawlRunSource.source == source),
        "failed_fetches": count(FailedFetch, FailedFetch.source == source),
        "failed_items": count(FailedItem, FailedItem.source == source),
    }  # fmt: skip


def newest_day(session: Session, *, source: str | None = None) -> dt.date | None:
    """The newest WIB day holding an article (of `source`), or None when there is none."""
    stmt = select(func.max(_PER_DAY.c.day_wib))
    if source:
        stmt = stmt.where(_PER_DAY.c.source == source)
    value = session.scalar(stmt)
    return None if value is None else _as_date(value)
