"""Plain data types shared by the Scrapy-free modules (extraction, dates, sites, dedup).

These are the contracts between stages: extraction produces `PageFields`,
the date resolver consumes `DateCandidate`s, and the spider turns the result
into an `ArticleItem` (see `aggregator.items`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

DateKind = Literal["published", "modified"]

#: Where a date string was found.  The date resolver trusts them in a documented order.
DateSource = Literal[
    "jsonld", "meta", "time", "site", "feed", "sitemap", "dateline", "url", "text"
]


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One date string seen on a page, in a feed or in a URL, not yet parsed."""

    kind: DateKind
    raw: str
    source: DateSource
    detail: str = ""  # e.g. the meta name or JSON-LD key, for debugging and stats


@dataclass(slots=True)
class ResolvedDate:
    """The chosen date of one kind: UTC instant, the original text and where it came from."""

    value: datetime | None = None
    raw: str | None = None
    source: str | None = None


@dataclass(slots=True)
class PageFields:
    """Everything extraction recovers from one HTML page (all fields optional).

    Site parsers fill what they know; the generic extractor fills the rest,
    field by field.
    """

    title: str | None = None
    body: str | None = None  # clean text, paragraphs separated by one blank line
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    credit_codes: list[str] = field(default_factory=list)  # "(wk/tiar)" -> "wk/tiar"
    wire_source: str | None = None  # "Antara", "Reuters" ...
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image_url: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    date_candidates: list[DateCandidate] = field(default_factory=list)
    next_page_urls: list[str] = field(default_factory=list)  # further pages of this article
    single_page_url: str | None = None  # a "show all" view when the site has one
    page_count: int | None = None  # total pages when the page says so
    is_article: bool = True
    reject_reason: str | None = None  # why this page is not an article
    rule_hits: Counter[str] = field(default_factory=Counter)  # boilerplate rule -> hits
    extractor: str = "generic"  # "site:<name>:<version>" or "generic"
