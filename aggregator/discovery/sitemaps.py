"""Sitemap urlset, sitemap index and Google News sitemap entries -> `DiscoveredLink`s.

Image and video extensions are ignored: only direct `<loc>` children of `<url>` and
`<sitemap>` count, so `<image:loc>` never becomes an article URL.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from aggregator.discovery.model import DiscoveredLink, SitemapResult
from aggregator.discovery.urls import absolute_http_url
from aggregator.discovery.xmlsafe import split_tag, text_of

NEWS_NS: Final = "http://www.google.com/schemas/sitemap-news/0.9"
_IGNORED_NS: Final = frozenset(
    {
        "http://www.google.com/schemas/sitemap-image/1.1",
        "http://www.google.com/schemas/sitemap-video/1.1",
        "http://www.w3.org/1999/xhtml",  # hreflang alternates
    }
)


def _fields(element: etree._Element) -> dict[str, etree._Element]:
    """First direct child per local name, extensions skipped; `news` only from its namespace."""
    out: dict[str, etree._Element] = {}
    for child in element:
        ns, local = split_tag(child)
        if not local or ns in _IGNORED_NS or (local == "news" and ns != NEWS_NS):
            continue
        out.setdefault(local, child)
    return out


def _news_fields(news: etree._Element | None) -> dict[str, str | None]:
    """news:publication_date, news:title, news:keywords and news:language."""
    if news is None:
        return {}
    fields = _fields(news)
    publication = fields.get("publication")
    language = _fields(publication).get("language") if publication is not None else None
    return {
        "published": text_of(fields.get("publication_date")),
        "title": text_of(fields.get("title")),
        "keywords": text_of(fields.get("keywords")),
        "language": text_of(language),
    }


def _url_link(fields: dict[str, etree._Element], url: str, source: str) -> DiscoveredLink:
    """A `<url>`/`<sitemap>` entry with its lastmod and Google News fields."""
    news = _news_fields(fields.get("news"))
    keywords = [k.strip() for k in (news.get("keywords") or "").split(",") if k.strip()]
    return DiscoveredLink(
        url=url,
        title=news.get("title"),
        published=news.get("published"),
        lastmod=text_of(fields.get("lastmod")),
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
    for element in root:
        ns, local = split_tag(element)
        if local != entry_name or ns in _IGNORED_NS:
            continue
        fields = _fields(element)
        url = absolute_http_url(text_of(fields.get("loc")), base_url)
        if url is None:
            result.skipped += 1
            continue
        if url in seen:
            result.repeated += 1
            continue
        if len(target) >= max_links:
            result.truncated = True
            break
        seen.add(url)
        target.append(_url_link(fields, url, base_url))
    return result
