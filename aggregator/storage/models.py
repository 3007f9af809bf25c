"""Typed SQLAlchemy models: sources, articles and what hangs off them.

Every datetime column is timezone-aware UTC (`TZDateTime`).  Crawl bookkeeping lives in
`models_runs.py`; the dedup engineer's tables in `models_dedup.py`.  Importing this module
registers all of them on `Base.metadata`, so Alembic sees the whole schema.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aggregator.storage.base import Base

__all__ = [
    "Article",
    "ArticleAlias",
    "ArticleAuthor",
    "ArticleRevision",
    "ArticleTag",
    "Author",
    "Base",
    "CrawlRun",
    "CrawlRunSource",
    "FailedFetch",
    "FailedItem",
    "Source",
    "Tag",
]


class Source(Base):
    """A news outlet: a site name from the registry, or a host for unregistered sites."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    first_seen_at: Mapped[dt.datetime]


class Article(Base):
    """One article, unique by canonical URL, updated in place when it changes."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_source_published_at", "source", "published_at"),
        # Hash first: the same-body lookup asks for a batch of hashes (revision 0002).
        Index("ix_articles_content_hash_source", "content_hash", "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    source: Mapped[str] = mapped_column(String(200), ForeignKey("sources.name"))
    published_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    modified_at: Mapped[dt.datetime | None]
    published_raw: Mapped[str | None] = mapped_column(String(500))
    published_source: Mapped[str | None] = mapped_column(String(50))
    modified_raw: Mapped[str | None] = mapped_column(String(500))
    modified_source: Mapped[str | None] = mapped_column(String(50))
    authors: Mapped[list[str]]  # display copy; queryable rows are in article_authors
    editors: Mapped[list[str]]
    credit_codes: Mapped[list[str]]
    tags: Mapped[list[str]]  # display copy; queryable rows are in article_tags
    wire_source: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(String(200))
    image_url: Mapped[str | None] = mapped_column(String(2048))
    content_hash: Mapped[str | None] = mapped_column(String(128))
    cluster_id: Mapped[int | None] = mapped_column(index=True)
    is_cluster_origin: Mapped[bool] = mapped_column(default=False)
    page_count: Mapped[int] = mapped_column(default=1)
    extractor: Mapped[str | None] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime]
    first_seen_at: Mapped[dt.datetime] = mapped_column(index=True)
    last_seen_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    revision_count: Mapped[int] = mapped_column(default=0)
    # Long text last: SQLite reads the columns before it without touching overflow pages,
    # which keeps filters and joins on the small columns fast.
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[ArticleAlias]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class ArticleAlias(Base):
    """Another URL that led to the same article (tracking variants, AMP, same-body copies)."""

    __tablename__ = "article_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    first_seen_at: Mapped[dt.datetime]

    article: Mapped[Article] = relationship(back_populates="aliases")


class ArticleRevision(Base):
    """The previous text of an article, kept when a re-crawl found it changed."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int]  # 1 = the first text stored, 2 = the next ...
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(128))
    modified_at: Mapped[dt.datetime | None]
    fetched_at: Mapped[dt.datetime | None]
    superseded_at: Mapped[dt.datetime]

    article: Mapped[Article] = relationship(back_populates="revisions")


class Author(Base):
    """A byline name; `name_key` folds case and spacing so variants share one row."""

    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)


class ArticleAuthor(Base):
    """Link table: which authors wrote which article, in byline order."""

    __tablename__ = "article_authors"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)


class Tag(Base):
    """A tag or keyword; `name_key` folds case and spacing."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)


class ArticleTag(Base):
    """Link table between articles and tags."""

    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# Imported last: these modules import `Base` (and may import the classes above).
from aggregator.storage.models_runs import (  # noqa: E402
    CrawlRun,
    CrawlRunSource,
    FailedFetch,
    FailedItem,
)

try:  # the dedup engineer's tables; absent only while that module is being written
    import aggregator.storage.models_dedup  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - only before models_dedup lands
    if exc.name != "aggregator.storage.models_dedup":
        raise

# Scheduled jobs (revision 0013_jobs): schedules, job runs, site locks, backfill days.
from aggregator.jobs.models import BackfillDay, JobRun, Schedule, SiteLock  # noqa: E402,F401

# Per-source per-run health metrics (revision 0014_source_runs).
from aggregator.storage import models_health  # noqa: E402,F401
from aggregator.storage.models_archive import Capture  # noqa: E402,F401  (WARC captures)
