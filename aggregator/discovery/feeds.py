"""RSS 2.0, RSS 1.0 (RDF) and Atom entries -> `DiscoveredLink`s."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from aggregator.discovery.model import DiscoveredLink, SitemapResult
from aggregator.discovery.urls import absolute_http_url
from aggregator.discovery.xmlsafe import localname, text_of

DC_NS = "http://purl.org/dc/elements/1.1/"


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Direct children with local name `name`, whatever their namespace."""
    return (child for child in element if localname(child) == name)


def _first_text(element: etree._Element, *names: str) -> str | None:
    """Text of the first direct child having one of `names` (in that order of preference)."""
    for name in names:
        for child in _children(element, name):
            text = text_of(child)
            if text:
                return text
    return None


def _rss_url(item: etree._Element) -> str | None:
    """`<link>`, else a `<guid>` that is a permalink."""
    link = _first_text(item, "link")
    if link:
        return link
    for guid in _children(item, "guid"):
        if guid.get("isPermaLink", "true").lower() != "false":
            return text_of(guid)
    return None


def _rss_link(item: etree._Element) -> tuple[str | None, DiscoveredLink]:
    """Raw URL and metadata of one RSS `<item>`."""
    creators = [t for c in _children(item, "creator") if (t := text_of(c))]
    author = _first_text(item, "author")
    return _rss_url(item), DiscoveredLink(
        url="",
        title=_first_text(item, "title"),
        published=_first_text(item, "pubDate", "date"),
        lastmod=_first_text(item, "updated", "modified"),
        keywords=[t for c in _children(item, "category") if (t := text_of(c))],
        authors=creators or ([author] if author else []),
    )


def _atom_url(entry: etree._Element) -> str | None:
    """The `alternate` link (or a link without rel), as Atom readers do."""
    for link in _children(entry, "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href")
    return None


def _atom_link(entry: etree._Element) -> tuple[str | None, DiscoveredLink]:
    """Raw URL and metadata of one Atom `<entry>`."""
    names = [n for a in _children(entry, "author") if (n := _first_text(a, "name"))]
    terms = [t for c in _children(entry, "category") if (t := c.get("term") or text_of(c))]
    return _atom_url(entry), DiscoveredLink(
        url="",
        title=_first_text(entry, "title"),
        published=_first_text(entry, "published", "issued"),
        lastmod=_first_text(entry, "updated", "modified"),
        keywords=terms,
        authors=names,
    )


def _entries(root: etree._Element, kind: str) -> Iterator[etree._Element]:
    """The item/entry elements of a feed document."""
    if kind == "atom":
        return _children(root, "entry")
    if kind == "rdf":
        return _children(root, "item")
    channels = list(_children(root, "channel")) or [root]
    return (item for channel in channels for item in _children(channel, "item"))


def parse_feed_root(
    root: etree._Element, kind: str, base_url: str, *, max_links: int
) -> SitemapResult:
    """Collect the entries of an RSS/RDF/Atom root, deduplicated, at most `max_links`."""
    result = SitemapResult(kind="atom" if kind == "atom" else "rdf" if kind == "rdf" else "rss")
    seen: set[str] = set()
    reader = _atom_link if kind == "atom" else _rss_link
    for entry in _entries(root, kind):
        raw, meta = reader(entry)
        url = absolute_http_url(raw, base_url)
        if url is None:
            result.skipped += 1
            continue
        if url in seen:
            result.repeated += 1
            continue
        if len(result.links) >= max_links:
            result.truncated = True
            break
        seen.add(url)
        result.links.append(_with_url(meta, url, base_url))
    return result


def _with_url(meta: DiscoveredLink, url: str, source_url: str) -> DiscoveredLink:
    """A copy of `meta` carrying its resolved URL and the document it came from."""
    return DiscoveredLink(
        url=url,
        title=meta.title,
        published=meta.published,
        lastmod=meta.lastmod,
        keywords=meta.keywords,
        authors=meta.authors,
        language=meta.language,
        source_url=source_url,
    )
