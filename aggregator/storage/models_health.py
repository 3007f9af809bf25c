"""What source health needs, per source per crawl run (revision 0014_source_runs).

`crawl_run_sources` (models_runs.py) keeps three counters per source; this table keeps
the rest of what one run said about one source, so each source gets a baseline of its
own (see `aggregator.health`).  Written once at crawl end, never updated.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.storage.base import Base

__all__ = ["SourceRunMetrics"]


class SourceRunMetrics(Base):
    """One source in one crawl run: volume, HTTP outcomes, field coverage, text shape."""

    __tablename__ = "source_runs"
    __table_args__ = (
        UniqueConstraint("crawl_run_id", "source"),
        Index("ix_source_runs_source_started_at", "source", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    crawl_run_id: Mapped[int] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    pages_fetched: Mapped[int] = mapped_column(default=0)  # responses received
    articles_scraped: Mapped[int] = mapped_column(default=0)  # items past every pipeline
    articles_stored: Mapped[int] = mapped_column(default=0)
    articles_failed: Mapped[int] = mapped_column(default=0)  # refused by the database
    fetch_failures: Mapped[int] = mapped_column(default=0)
    not_articles: Mapped[int] = mapped_column(default=0)  # pages rejected as non-articles
    bot_challenges: Mapped[int] = mapped_column(default=0)
    zone_corrections: Mapped[int] = mapped_column(default=0)
    with_title: Mapped[int] = mapped_column(default=0)
    with_date: Mapped[int] = mapped_column(default=0)
    with_author: Mapped[int] = mapped_column(default=0)
    with_body: Mapped[int] = mapped_column(default=0)
    median_body_chars: Mapped[int | None]
    lag_p50_seconds: Mapped[int | None]  # fetched_at - published_at over the run's articles
    lag_p95_seconds: Mapped[int | None]
    status_counts: Mapped[dict[str, int]]  # "200" -> n, "404" -> n ...
    failure_reasons: Mapped[dict[str, int]]  # "timeout" -> n, "http_503" -> n ...
    reject_reasons: Mapped[dict[str, int]]  # not-article reasons: "bot_challenge" -> n ...
    drop_reasons: Mapped[dict[str, int]]  # items dropped by a pipeline: "duplicate_url" -> n
    rule_hits: Mapped[dict[str, int]]  # boilerplate rule -> articles it matched in
