"""The item the spider yields and the pipelines refine, one per article."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aggregator.types import DateCandidate


@dataclass(slots=True)
class ArticleItem:
    """One article as it moves through the pipelines.

    `url` is the canonical URL (set by the dedup stage); `aliases` are the other
    URLs the article was reached by.  Datetimes are always timezone-aware UTC.
    """

    url: str
    source: str  # site name from the registry, or the host for unregistered sites
    fetched_at: datetime
    title: str | None = None
    body: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    published_raw: str | None = None
    modified_raw: str | None = None
    published_source: str | None = None
    modified_source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    credit_codes: list[str] = field(default_factory=list)
    wire_source: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    description: str | None = None
    aliases: list[str] = field(default_factory=list)
    page_count: int = 1
    timezone: str = "Asia/Jakarta"
    extractor: str = "generic"
    date_candidates: list[DateCandidate] = field(default_factory=list)
    # Boilerplate-rule hits from extraction (PageFields.rule_hits); CleanPipeline counts them.
    rule_hits: dict[str, int] = field(default_factory=dict)
    # Discovery metadata (feed/sitemap entry): title, dates, keywords...
    discovery: dict[str, Any] = field(default_factory=dict)
    # The page's rel=canonical / og:url (PageFields.canonical_url), a hint for the dedup stage.
    canonical_hint: str | None = None
    # Filled by the dedup stage.
    content_hash: str | None = None
    cluster_id: int | None = None
    http_etag: str | None = None
    http_last_modified: str | None = None
