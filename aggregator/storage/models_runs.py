"""Crawl bookkeeping: one row per crawl run, per-source outcomes, failed fetches and items."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.storage.base import Base


class CrawlRun(Base):
    """One crawl: when, what, how much, and how it ended."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    spider: Mapped[str] = mapped_column(String(100), default="news")
    started_at: Mapped[dt.datetime] = mapped_column(index=True)
    finished_at: Mapped[dt.datetime | None]
    sites: Mapped[list[str]]
    pages_fetched: Mapped[int] = mapped_column(default=0)
    items_scraped: Mapped[int] = mapped_column(default=0)
    items_stored: Mapped[int] = mapped_column(default=0)
    items_inserted: Mapped[int] = mapped_column(default=0)
    items_updated: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    items_dropped: Mapped[int] = mapped_column(default=0)
    drops_by_reason: Mapped[dict[str, int]]
    errors: Mapped[int] = mapped_column(default=0)
    items_failed: Mapped[int] = mapped_column(default=0)
    finish_reason: Mapped[str | None] = mapped_column(String(100))
    stats: Mapped[dict[str, Any]]  # the full Scrapy stats, JSON-safe
    # Revision 0013_jobs: which scheduled job started the run, and how (aggregator.jobs).
    job_id: Mapped[int | None] = mapped_column(index=True)
    job_run_id: Mapped[int | None] = mapped_column(index=True)
    trigger: Mapped[str | None] = mapped_column(String(20))  # schedule, catch-up, manual, backfill
    # Scale-out (aggregator.frontier): the job this run was one worker of, and which.
    frontier_job: Mapped[str | None] = mapped_column(String(200), index=True)
    worker_id: Mapped[str | None] = mapped_column(String(200))


class CrawlRunSource(Base):
    """What one crawl run did for one source (for "latest crawl per source")."""

    __tablename__ = "crawl_run_sources"

    crawl_run_id: Mapped[int] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    items_stored: Mapped[int] = mapped_column(default=0)
    items_failed: Mapped[int] = mapped_column(default=0)
    fetch_failures: Mapped[int] = mapped_column(default=0)


class FailedFetch(Base):
    """A URL that could not be fetched; one row per URL, so the next run can retry it."""

    __tablename__ = "failed_fetches"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    kind: Mapped[str | None] = mapped_column(String(30))  # feed, sitemap, article ...
    status: Mapped[int | None]  # last HTTP status, None for network errors
    reason: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=1)
    first_failed_at: Mapped[dt.datetime]
    last_failed_at: Mapped[dt.datetime] = mapped_column(index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )


class FailedItem(Base):
    """An item that could not be stored or processed, kept whole so it can be replayed."""

    __tablename__ = "failed_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048), index=True)
    source: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(50))  # "store", "dedup", ...
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]
    failed_at: Mapped[dt.datetime] = mapped_column(index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
