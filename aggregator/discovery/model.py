"""Data returned by discovery, and the typed errors the spider counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from aggregator.exceptions import AggregatorError

DocKind = Literal["rss", "atom", "rdf", "urlset", "sitemapindex"]
FEED_KINDS: frozenset[str] = frozenset({"rss", "atom", "rdf"})
SITEMAP_KINDS: frozenset[str] = frozenset({"urlset", "sitemapindex"})


@dataclass(frozen=True, slots=True)
class DiscoveredLink:
    """One entry of a feed or sitemap: an absolute http(s) URL plus raw metadata."""

    url: str
    title: str | None = None
    published: str | None = None  # raw text: pubDate, <published>, news:publication_date
    lastmod: str | None = None  # raw text: <lastmod>, <updated>
    keywords: list[str] = field(default_factory=list)  # news:keywords, <category>
    authors: list[str] = field(default_factory=list)  # dc:creator, atom author
    language: str | None = None  # news:language
    source_url: str | None = None  # the feed or sitemap the entry came from

    def as_meta(self) -> dict[str, Any]:
        """The `aggregator_discovery` request meta dict (see docs/ARCHITECTURE.md)."""
        meta: dict[str, Any] = {
            "title": self.title,
            "published": self.published,
            "lastmod": self.lastmod,
            "keywords": list(self.keywords),
            "source_url": self.source_url,
        }
        if self.authors:
            meta["authors"] = list(self.authors)
        if self.language:
            meta["language"] = self.language
        return meta


@dataclass(slots=True)
class SitemapResult:
    """A parsed discovery document: article links and, for an index, child sitemaps."""

    kind: DocKind
    links: list[DiscoveredLink] = field(default_factory=list)
    sitemaps: list[DiscoveredLink] = field(default_factory=list)
    truncated: bool = False  # more entries than the cap; the rest were ignored
    skipped: int = 0  # entries without a usable http(s) URL
    repeated: int = 0  # entries listing a URL this document already listed


class DiscoveryError(AggregatorError):
    """A discovery document cannot be used; `reason` is the stats key suffix."""

    reason = "error"


class NotXMLError(DiscoveryError):
    """The body is HTML, empty or garbage rather than XML."""

    reason = "not_xml"


class TooLargeError(DiscoveryError):
    """The (decompressed) document exceeds the size cap."""

    reason = "too_large"


class UnsafeXMLError(DiscoveryError):
    """XML built to exhaust the parser (entity expansion bombs); refused, not salvaged."""

    reason = "unsafe_xml"


class UnknownFormatError(DiscoveryError):
    """Well-formed XML that is neither a feed nor a sitemap (or not the kind asked for)."""

    reason = "unknown_format"
