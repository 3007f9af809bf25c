"""Where a crawl starts: spider arguments and site specs -> unique (kind, url, site) entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from aggregator.exceptions import ConfigError

if TYPE_CHECKING:
    from aggregator.sites import SiteSpec


class Start(NamedTuple):
    """One start URL: `kind` is "feed", "sitemap", "index" or "article"."""

    kind: str
    url: str
    site: SiteSpec | None = None


def split_arg(value: str | list[str] | None) -> list[str]:
    """Comma-separated (or list) argument -> list of stripped, non-empty values."""
    if not value:
        return []
    parts = value if isinstance(value, list) else value.split(",")
    return [p.strip() for p in parts if p and p.strip()]


def site_starts(spec: SiteSpec) -> list[Start]:
    """A registered site's discovery sources: feeds, news sitemaps, sitemaps, index pages."""
    starts = [Start("feed", u, spec) for u in spec.feeds]
    starts += [Start("sitemap", u, spec) for u in (*spec.news_sitemaps, *spec.sitemaps)]
    for index in spec.index_pages:
        starts += [Start("index", u, spec) for u in index.urls()]
    return starts


def build_starts(
    *, feeds: list[str], sitemaps: list[str], urls: list[str], sites: list[SiteSpec]
) -> list[Start]:
    """Every start entry, first occurrence of a URL wins; ConfigError if none or bad."""
    starts = [Start("feed", u) for u in feeds] + [Start("sitemap", u) for u in sitemaps]
    starts += [Start("article", u) for u in urls]
    for spec in sites:
        starts += site_starts(spec)
    first: dict[str, Start] = {}
    for start in starts:
        first.setdefault(start.url, start)  # the first occurrence of a URL wins
    unique = list(first.values())
    if not unique:
        raise ConfigError("nothing to crawl: give a feed, sitemap, URL or site")
    for start in unique:
        parts = urlsplit(start.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"not an http(s) URL: {start.url!r}")
    return unique
