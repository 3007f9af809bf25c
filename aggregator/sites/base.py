"""The declarative site spec: where a portal publishes links, which URLs are articles, its parser.

A `SiteSpec` is data (Fundus `Publisher` pattern): domains, time zone, discovery sources in
the order RSS feeds, Google News sitemaps, sitemaps, index pages, an article URL filter and a
versioned parser class (`aggregator.sites.parser`).  Nothing here imports Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html

from aggregator.exceptions import ConfigError
from aggregator.sites.parser import SiteParser

if TYPE_CHECKING:
    from aggregator.types import PageFields

__all__ = ["IndexPage", "SiteParser", "SiteSpec", "host_of"]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
_DOMAIN_RE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")


def host_of(url: str) -> str:
    """The lower-cased host of `url` without a leading `www.` ("" when there is none)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:  # e.g. a malformed IPv6 literal
        return ""
    return host[4:] if host.startswith("www.") else host


def check_archive_template(template: str, what: str) -> None:
    """ConfigError unless `template` is an http(s) URL with a `{date...}` field and `{page}`."""
    try:
        sample = template.format(date=date(2024, 1, 31), page=1)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"{what}: bad archive template {template!r}: {exc}") from None
    if "{date" not in template or "{page}" not in template:
        raise ConfigError(f"{what}: archive template {template!r} needs {{date:...}} and {{page}}")
    if not sample.startswith(("https://", "http://")) or not host_of(sample):
        raise ConfigError(f"{what}: archive template {template!r} is not an http(s) URL")


@dataclass(frozen=True, slots=True)
class IndexPage:
    """An index or archive page, with an optional `{page}` pagination template.

    `IndexPage("https://x.id/indeks?page={page}", max_pages=3)` yields pages 1..3;
    a template without `{page}` is a single page.
    """

    template: str
    first_page: int = 1
    max_pages: int = 1

    def urls(self) -> list[str]:
        """The concrete page URLs, in order."""
        if "{page}" not in self.template:
            return [self.template]
        last = self.first_page + max(self.max_pages, 1)
        return [self.template.format(page=n) for n in range(self.first_page, last)]


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """One news portal.

    - `domains`: the site matches each domain and its subdomains (`jateng.tribunnews.com`
      matches `tribunnews.com`); `www.` is ignored.
    - `article_patterns`: regexes searched in the URL's path (so tracking queries such as
      `?utm_source=rss` do not matter); `exclude_patterns` see the path plus the query.  A URL
      is an article when an article pattern matches and no exclude pattern does.  No article
      patterns = every path but the root.
    - `exclude_hosts`: subdomains that are not articles (video portals) or belong to another
      spec (`en.tempo.co` inside `tempo.co`).
    - `parser`: a `SiteParser` subclass with dated versions, or None (generic extraction only).
    - `verified`: True only when a real saved page (`fixtures`) proves the parser.
    """

    name: str
    domains: tuple[str, ...]
    label: str = ""
    timezone: str = "Asia/Jakarta"
    language: str = "id"
    feeds: tuple[str, ...] = ()
    news_sitemaps: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    index_pages: tuple[IndexPage, ...] = ()
    #: Dated archive ("indeks") URL for `aggregator backfill`: `{date:...}` is the day
    #: (strftime codes inside the braces), `{page}` the page number; "" = none known.
    archive: str = ""
    article_patterns: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    exclude_hosts: tuple[str, ...] = ()
    parser: type[SiteParser] | None = None
    verified: bool = False
    fixtures: tuple[str, ...] = ()
    notes: str = ""
    _article_res: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _exclude_res: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate the spec and precompile the URL filters (a bad spec fails at import)."""
        if not _NAME_RE.match(self.name):
            raise ConfigError(f"site name {self.name!r} must be lower-case letters/digits")
        if not self.domains:
            raise ConfigError(f"site {self.name!r} has no domain")
        for domain in self.domains:
            if not _DOMAIN_RE.match(domain) or domain.startswith("www."):
                raise ConfigError(f"site {self.name!r}: bad domain {domain!r}")
        try:
            ZoneInfo(self.timezone)
            article_res = tuple(re.compile(p) for p in self.article_patterns)
            exclude_res = tuple(re.compile(p) for p in self.exclude_patterns)
        except (re.error, KeyError, ValueError) as exc:
            raise ConfigError(f"site {self.name!r}: {exc}") from exc
        for url in self.start_urls():
            if not url.startswith(("https://", "http://")) or not host_of(url):
                raise ConfigError(f"site {self.name!r}: discovery URL {url!r} is not http(s)")
        if self.archive:
            check_archive_template(self.archive, f"site {self.name!r}")
        object.__setattr__(self, "_article_res", article_res)
        object.__setattr__(self, "_exclude_res", exclude_res)

    @property
    def display_name(self) -> str:
        """The human name (`label`, else `name`)."""
        return self.label or self.name

    @property
    def discovery_count(self) -> int:
        """How many discovery sources (feeds, sitemaps, index pages) the spec lists."""
        return (
            len(self.feeds) + len(self.news_sitemaps) + len(self.sitemaps) + len(self.index_pages)
        )

    def start_urls(self) -> list[str]:
        """Every discovery URL in source order: feeds, news sitemaps, sitemaps, index pages."""
        urls = [*self.feeds, *self.news_sitemaps, *self.sitemaps]
        for index in self.index_pages:
            urls.extend(index.urls())
        return urls

    def owns_host(self, host: str) -> bool:
        """True when `host` is one of the domains or a subdomain of one."""
        host = host.lower().rstrip(".")
        host = host[4:] if host.startswith("www.") else host
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        """True when `url` is on this site and looks like an article (not video, tag, index)."""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return False
        host = host_of(url)
        if parts.scheme not in ("http", "https") or not self.owns_host(host):
            return False
        if any(host == h or host.endswith("." + h) for h in self.exclude_hosts):
            return False
        target = parts.path + ("?" + parts.query if parts.query else "")
        if any(rx.search(target) for rx in self._exclude_res):
            return False
        if not self._article_res:
            return parts.path not in ("", "/")
        return any(rx.search(parts.path) for rx in self._article_res)

    def parse(
        self,
        tree: lxml.html.HtmlElement | str | bytes,
        url: str,
        published_hint: datetime | date | None = None,
    ) -> PageFields | None:
        """Run the site parser on a parsed page (or raw HTML); None when there is no parser."""
        if self.parser is None:
            return None
        if isinstance(tree, (str, bytes)):
            if not tree:
                return None
            tree = lxml.html.fromstring(tree)
        page = self.parser.parse(
            tree, url, published_hint=published_hint, site=self.name, tz=self.timezone
        )
        page.language = page.language or self.language
        return page

    def fields_covered(self) -> list[str]:
        """The PageFields names the parser fills (empty without a parser)."""
        return self.parser.covered_fields() if self.parser else []
