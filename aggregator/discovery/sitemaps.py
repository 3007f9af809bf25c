"""Sitemap urlset, sitemap index and Google News sitemap entries -> `DiscoveredLink`s.

Image and video extensions are ignored: only direct `<loc>` children of `<url>` and
`<sitemap>` count, so `<image:loc>` never becomes an article URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from lxml import etree

from aggregator.discovery.model import DiscoveredLink, SitemapResult
from aggregator.discovery.urls import absolute_http_url
from aggregator.discovery.xmlsafe import localname, namespace, text_of

NEWS_NS: Final = "http://www.google.com/schemas/sitemap-news/0.9"
_IGNORED_NS: Final = frozenset(
    {
        "http://www.google.com/schemas/sitemap-image/1.1",
        "http://www.google.com/schemas/sitemap-video/1.1",
        "http://www.w3.org/1999/xhtml",  # hreflang alternates
    }
)


def _own_children(element: etree._Element) -> Iterator[etree._Element]:
    """Children that belong to the sitemap (or news) vocabulary, not to extensions."""
    return (c for c in element if isinstance(c.tag, str) and namespace(c) not in _IGNORED_NS)


def _child_text(element: etree._Element, name: str, ns: str | None = None) -> str | None:
    """Text of the first direct child `name` (optionally in namespace `ns`)."""
    for child in _own_children(element):
        if localname(child) == name and (ns is None or namespace(child) == ns):
            return text_of(child)
    return None


def _news_fields(url_el: etree._Element) -> dict[str, str | None]:
    """news:publication_date, news:title, news:keywords and language of one `<url>`."""
    for news in _own_children(url_el):
        if localname(news) == "news" and namespace(news) == NEWS_NS:
            pub = next((p for p in news if localname(p) == "publication"), None)
            return {
                "published": _child_text(news, "publication_date"),
                "title": _child_text(news, "title"),
                "keywords": _child_text(news, "keywords"),
                "language": _child_text(pub, "language") if pub is not None else None,
            }
    return {}


def _url_link(url_el: etree._Element, url: str, source: str) -> DiscoveredLink:
    """A `<url>` element with its lastmod and Google News fields."""
    news = _news_fields(url_el)
    keywords = [k.strip() for k in (news.get("keywords") or "").split(",") if k.strip()]
    return DiscoveredLink(
        url=url,
        title=news.get("title"),
        published=news.get("published"),
        lastmod=_child_text(url_el, "lastmod"),
        keywords=keywords,
        language=news.get("language"),
        source_url=source,
    )


def parse_sitemap_root(
    root: etree._Element, kind: str, base_url: str, *, max_links: int
) -> SitemapResult:
    """Collect `<url>` (urlset) or `<sitemap>` (index) entries, deduplicated and capped."""
    result = SitemapResult(kind="sitemapindex" if kind == "sitemapindex" else "urlset")
    entry_name = "sitemap" if kind == "sitemapindex" else "url"
    target = result.sitemaps if kind == "sitemapindex" else result.links
    seen: set[str] = set()
    for element in _own_children(root):
        if localname(element) != entry_name:
            continue
        url = absolute_http_url(_child_text(element, "loc"), base_url)
        if url is None:
            result.skipped += 1
            continue
        if url in seen:
            continue
        if len(target) >= max_links:
            result.truncated = True
            break
        seen.add(url)
        target.append(_url_link(element, url, base_url))
    return result
