"""The `captures` table: where each archived HTTP response lives in the WARC files.

One row per WARC `response` or `revisit` record the archive middleware wrote
(`aggregator.archive`).  `article_id` links an article's first page to the article it
became; `article_url` ties page 2.. of a multi-page article to its first page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from aggregator.storage.base import Base

__all__ = ["Capture"]


class Capture(Base):
    """One archived fetch: URL, time, status, payload digest and its place in a WARC file."""

    __tablename__ = "captures"
    __table_args__ = (Index("ix_captures_url_fetched_at", "url", "fetched_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    fetched_at: Mapped[dt.datetime] = mapped_column(index=True)
    status: Mapped[int]
    kind: Mapped[str | None] = mapped_column(String(20))  # feed, sitemap, article, ...
    site: Mapped[str | None] = mapped_column(String(200))
    record_type: Mapped[str] = mapped_column(String(10))  # response | revisit
    payload_digest: Mapped[str | None] = mapped_column(String(64))
    warc_file: Mapped[str] = mapped_column(String(1024), index=True)
    warc_offset: Mapped[int] = mapped_column(BigInteger)
    warc_length: Mapped[int] = mapped_column(BigInteger)
    record_id: Mapped[str] = mapped_column(String(100), unique=True)  # WARC-Record-ID
    # A revisit's original: the WARC-Record-ID of the earlier response with this payload.
    refers_to: Mapped[str | None] = mapped_column(String(100))
    article_url: Mapped[str | None] = mapped_column(String(2048))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    meta: Mapped[dict[str, Any]]  # the request's crawl context: discovery entry, redirects
