"""Discovery of article URLs from RSS 2.0, Atom, RSS 1.0 and sitemaps (Scrapy-free).

Parsing is safe for untrusted input: entities are never resolved, DTDs and the network
are never loaded, gzip is decompressed in bounded steps and every document is capped in
size and in entries.  Bad input raises a `DiscoveryError` whose `reason` the spider
counts (`discovery/not_xml`, `discovery/too_large`, `discovery/unsafe_xml`,
`discovery/unknown_format`).
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from aggregator.discovery.feeds import parse_feed_root
from aggregator.discovery.model import (
    FEED_KINDS,
    SITEMAP_KINDS,
    DiscoveredLink,
    DiscoveryError,
    DocKind,
    NotXMLError,
    SitemapResult,
    TooLargeError,
    UnknownFormatError,
    UnsafeXMLError,
)
from aggregator.discovery.sitemaps import parse_sitemap_root
from aggregator.discovery.xmlsafe import MAX_DOCUMENT_BYTES, localname, maybe_gunzip, parse_xml

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_LINKS",
    "DiscoveredLink",
    "DiscoveryError",
    "DocKind",
    "NotXMLError",
    "SitemapResult",
    "TooLargeError",
    "UnknownFormatError",
    "UnsafeXMLError",
    "detect_kind",
    "parse_document",
    "parse_feed",
    "parse_sitemap",
]

#: Most entries read from one document (the sitemap protocol's own limit).
MAX_LINKS: Final = 50_000
_ROOT_KINDS: Final[dict[str, DocKind]] = {
    "rss": "rss",
    "feed": "atom",
    "rdf": "rdf",
    "urlset": "urlset",
    "sitemapindex": "sitemapindex",
}


def detect_kind(root: etree._Element) -> DocKind:
    """The document kind from its root element; `UnknownFormatError` otherwise."""
    kind = _ROOT_KINDS.get(localname(root).lower())
    if kind is None:
        raise UnknownFormatError(f"root element <{localname(root)}> is not a feed or sitemap")
    return kind


def parse_document(
    body: bytes,
    base_url: str,
    *,
    max_links: int = MAX_LINKS,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> SitemapResult:
    """Parse any feed or sitemap (gzip or not) into links and child sitemaps."""
    root = parse_xml(maybe_gunzip(body, limit=max_bytes))
    kind = detect_kind(root)
    if kind in FEED_KINDS:
        return parse_feed_root(root, kind, base_url, max_links=max_links)
    return parse_sitemap_root(root, kind, base_url, max_links=max_links)


def parse_feed(body: bytes, base_url: str, *, max_links: int = MAX_LINKS) -> list[DiscoveredLink]:
    """Entries of an RSS 2.0 / RSS 1.0 / Atom feed; a sitemap raises `UnknownFormatError`."""
    result = parse_document(body, base_url, max_links=max_links)
    if result.kind not in FEED_KINDS:
        raise UnknownFormatError(f"expected a feed, got a {result.kind}")
    return result.links


def parse_sitemap(body: bytes, base_url: str, *, max_links: int = MAX_LINKS) -> SitemapResult:
    """A sitemap urlset, index or Google News sitemap; a feed raises `UnknownFormatError`."""
    result = parse_document(body, base_url, max_links=max_links)
    if result.kind not in SITEMAP_KINDS:
        raise UnknownFormatError(f"expected a sitemap, got a {result.kind} feed")
    return result
