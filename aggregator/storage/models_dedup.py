"""Tables for near-duplicate clustering and incremental crawling (owned by "dedup").

They share `Base` with `models.py`, which imports this module so Alembic sees them.

- `article_signatures`: one MinHash per article body (packed uint32, see
  `aggregator.dedup.fingerprint`), so clustering works across runs and processes.
- `lsh_buckets`: the persisted LSH index; one row per (band key, band, article).
- `fetch_state`: HTTP validators and what we last saw for a URL (feeds, sitemaps,
  index pages and articles), for conditional GET and skip decisions.
- `source_watermarks`: the newest article seen on each source's index, to stop paging.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.storage.base import Base

__all__ = ["ArticleSignature", "FetchState", "LshBucket", "SourceWatermark"]


class ArticleSignature(Base):
    """The MinHash signature of an article's current body."""

    __tablename__ = "article_signatures"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    shingle_count: Mapped[int]
    content_hash: Mapped[str | None] = mapped_column(String(128))
    computed_at: Mapped[dt.datetime]


class LshBucket(Base):
    """One LSH band of one article; articles sharing a (bucket, band) are candidates."""

    __tablename__ = "lsh_buckets"

    # `bucket` first: lookups are `bucket IN (...)`, served by the primary key index.
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FetchState(Base):
    """What the last fetch of a URL told us: validators, dates and body hash."""

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # feed, sitemap, index, article
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    lastmod_seen: Mapped[dt.datetime | None]  # newest discovery date seen for it
    content_hash: Mapped[str | None] = mapped_column(String(128))
    http_status: Mapped[int | None]
    first_fetched_at: Mapped[dt.datetime]
    last_fetched_at: Mapped[dt.datetime]
    not_modified_count: Mapped[int] = mapped_column(default=0)


class SourceWatermark(Base):
    """The newest article seen on one index of one source (where paging may stop)."""

    __tablename__ = "source_watermarks"

    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    index_url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    newest_url: Mapped[str | None] = mapped_column(String(2048))
    newest_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime]
