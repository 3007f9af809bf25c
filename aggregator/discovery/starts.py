"""Where a crawl starts: spider arguments and site specs -> unique (kind, url, site) entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from aggregator.discovery.paging import DEFAULT_INDEX_PAGES, IndexWalk, page_url
from aggregator.exceptions import ConfigError
from aggregator.sites.base import IndexPage

if TYPE_CHECKING:
    from aggregator.sites import SiteSpec


class Start(NamedTuple):
    """One start URL: `kind` is "feed", "sitemap", "index" or "article".

    An index start is the first page of `paging`, which says how to page further.
    """

    kind: str
    url: str
    site: SiteSpec | None = None
    paging: IndexPage | None = None


def split_arg(value: str | list[str] | None) -> list[str]:
    """Comma-separated (or list) argument -> list of stripped, non-empty values."""
    if not value:
        return []
    parts = value if isinstance(value, list) else value.split(",")
    return [p.strip() for p in parts if p and p.strip()]


def index_start(index: IndexPage, spec: SiteSpec | None = None) -> Start:
    """The start entry of an index: its first page only (later pages are walked)."""
    return Start("index", page_url(index.template, index.first_page), spec, index)


def site_named(name: str | None) -> SiteSpec | None:
    """The registry spec for a site name carried in request meta (None for unregistered)."""
    from aggregator.sites import get_site

    if not name:
        return None
    try:
        return get_site(name)
    except ConfigError:
        return None


def index_walk(start: Start) -> tuple[SiteSpec | None, IndexWalk | None]:
    """The spec and paging walk of an index start (a `--index` URL may be a known site)."""
    from aggregator.article import source_for
    from aggregator.sites import site_for_url

    spec = start.site or site_for_url(start.url)
    if start.paging is None:
        return spec, None
    index = start.paging
    walk = IndexWalk(source=source_for(start.url, spec), template=index.template,
                     first_page=index.first_page, max_pages=index.max_pages)  # fmt: skip
    return spec, walk


def whole_number(value: str | int, name: str) -> int:
    """A whole-number argument; ConfigError naming it otherwise."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None


def site_starts(spec: SiteSpec) -> list[Start]:
    """A registered site's discovery sources: feeds, news sitemaps, sitemaps, index pages."""
    starts = [Start("feed", u, spec) for u in spec.feeds]
    starts += [Start("sitemap", u, spec) for u in (*spec.news_sitemaps, *spec.sitemaps)]
    starts += [index_start(index, spec) for index in spec.index_pages]
    return starts


def build_starts(
    *,
    feeds: list[str],
    sitemaps: list[str],
    urls: list[str],
    sites: list[SiteSpec],
    indexes: Sequence[str] = (),
    index_pages: str | int = DEFAULT_INDEX_PAGES,
) -> list[Start]:
    """Every start entry, first occurrence of a URL wins; ConfigError if none or bad.

    `indexes` are listing page URLs, paged through `{page}` up to `index_pages` pages.
    """
    pages = whole_number(index_pages, "index pages")
    if pages < 1:
        raise ConfigError("index pages must be at least 1")
    starts = [Start("feed", u) for u in feeds] + [Start("sitemap", u) for u in sitemaps]
    starts += [index_start(IndexPage(u, max_pages=pages)) for u in indexes]
    starts += [Start("article", u) for u in urls]
    for spec in sites:
        starts += site_starts(spec)
    first: dict[str, Start] = {}
    for start in starts:
        first.setdefault(start.url, start)  # the first occurrence of a URL wins
    unique = list(first.values())
    if not unique:
        raise ConfigError("nothing to crawl: give a feed, sitemap, index, URL or site")
    for start in unique:
        parts = urlsplit(start.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"not an http(s) URL: {start.url!r}")
    return unique
