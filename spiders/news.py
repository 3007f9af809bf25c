"""The generic news spider: feeds, sitemaps and article URLs -> one ArticleItem per article.

    scrapy crawl news -a feed=URL[,URL] -a sitemap=URL -a url=URL -a site=NAME[,NAME]
                      -a index='URL?page={page}' -a index_pages=N

Discovery parsing, index paging, extraction and item building live in Scrapy-free
modules; this class only schedules requests, walks index pages and the pages of
multi-page articles, and counts outcomes under `spider/...` and `discovery/...`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from aggregator.article import (
    ArticleState,
    finish_article,
    first_page_state,
    next_step,
    source_for,
    use_single_view,
)
from aggregator.discovery import MAX_DOCUMENT_BYTES, DiscoveryError, parse_document
from aggregator.discovery.paging import (
    DEFAULT_INDEX_PAGES,
    MAX_INDEX_LINKS,
    IndexWalk,
    index_article_links,
)
from aggregator.discovery.seen import SeenUrls
from aggregator.discovery.starts import build_starts, index_walk, site_named, split_arg
from aggregator.extensions import failure_reason, failure_status
from aggregator.extraction import extract_page
from aggregator.items import ArticleItem
from aggregator.middlewares import START_HOST_META, host_port, refused_by_resolver
from aggregator.sites import SiteSpec, select_sites, site_for_url
from aggregator.storage.signals import (  # plain objects: no storage import cost
    fetch_failed,
    page_rejected,
)
from aggregator.types import PageFields

log = logging.getLogger(__name__)

INDEX_PRIORITY = 10


def _resolve_arguments(
    feed: str | None, sitemap: str | None, url: str | None, site: str | None,
    index: str | None, index_pages: str | int,
) -> tuple[list[SiteSpec], list[Any]]:  # fmt: skip
    """The sites and start entries named by the spider's arguments (`ConfigError` if bad)."""
    sites = select_sites(split_arg(site))  # names, comma lists or `all`
    starts = build_starts(feeds=split_arg(feed), sitemaps=split_arg(sitemap),
                          urls=split_arg(url), sites=sites,
                          indexes=split_arg(index), index_pages=index_pages)  # fmt: skip
    return sites, starts


class NewsSpider(scrapy.Spider):
    """Generic spider for Indonesian news sites (see module docstring)."""

    name = "news"

    def __init__(
        self,
        feed: str | None = None,
        sitemap: str | None = None,
        url: str | None = None,
        site: str | None = None,
        index: str | None = None,
        index_pages: str | int = DEFAULT_INDEX_PAGES,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sites, self.starts = _resolve_arguments(feed, sitemap, url, site, index, index_pages)
        self.site_names = [s.name for s in self.sites]
        self.start_hosts = {hp for s in self.starts if (hp := host_port(s.url))}
        # URLs already scheduled: articles, and discovery documents (for the sitemap cap).
        # Digests, not strings (aggregator/discovery/seen.py): a long crawl's set stays small.
        self.discovered = SeenUrls(self.start_urls_of(articles=True))
        self.sitemaps_seen = SeenUrls(self.start_urls_of(articles=False))

    def start_urls_of(self, *, articles: bool) -> list[str]:
        """The start URLs that are articles, or the others (feeds, sitemaps, indexes)."""
        return [s.url for s in self.starts if (s.kind == "article") == articles]

    @classmethod
    def check_arguments(
        cls, feed: str | None = None, sitemap: str | None = None, url: str | None = None,
        site: str | None = None, index: str | None = None,
        index_pages: str | int = DEFAULT_INDEX_PAGES, **_other: Any,
    ) -> None:  # fmt: skip
        """Raise `ConfigError` for `-a` arguments the spider cannot start from (no network)."""
        _resolve_arguments(feed, sitemap, url, site, index, index_pages)

    # -- scheduling ------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The start requests: one per feed, sitemap, index (its first page) or article."""
        for entry in self.starts:
            if entry.kind == "article":
                yield self._article_request(entry.url, {"via": "url"}, entry.site)
            elif entry.kind == "index":
                yield self._index_request(entry.url, *index_walk(entry))
            else:
                yield self._request(entry.url, entry.kind, self.parse_discovery, entry.site)

    def _request(
        self, url: str, kind: str, callback: Any, spec: SiteSpec | None, **meta: Any
    ) -> scrapy.Request:
        """A request with the documented meta keys set."""
        meta = {
            "aggregator_kind": kind,
            "aggregator_site": spec.name if spec else None,
            START_HOST_META: host_port(url) in self.start_hosts,
            **meta,
        }
        # dont_filter: the spider deduplicates URLs itself and counts repeats, whereas
        # Scrapy's dupefilter silently drops e.g. a redirect to an already-seen URL
        # (scrapy#1225) and the URL would be lost without a reason.
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta,
                              dont_filter=True)  # fmt: skip

    def _article_request(
        self, url: str, discovery: dict[str, Any], spec: SiteSpec | None
    ) -> scrapy.Request:
        """A request for the first page of an article."""
        spec = spec or site_for_url(url)
        return self._request(url, "article", self.parse_article, spec,
                             aggregator_discovery=discovery)  # fmt: skip

    def _index_request(
        self, url: str, spec: SiteSpec | None, walk: IndexWalk | None, **meta: Any
    ) -> scrapy.Request:
        """A request for one page of an index, walked by `walk`."""
        request = self._request(url, "index", self.parse_index, spec, **meta)
        request.cb_kwargs["walk"] = walk  # pages are bounded by the walk's cap
        # Ahead of article fetches: the watermark check of page N+1 must not see page N's
        # stories as "already stored" just because this run stored them meanwhile.
        request.priority = INDEX_PRIORITY
        return request

    def _count(self, key: str, value: int = 1) -> None:
        """Increment a stats counter."""
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, value)

    # -- discovery -------------------------------------------------------------------
    def parse_discovery(self, response: Response) -> Iterator[scrapy.Request]:
        """A feed or sitemap (or an index page): schedule its articles and child sitemaps."""
        kind = response.meta.get("aggregator_kind", "feed")
        spec = site_named(response.meta.get("aggregator_site"))
        if kind == "index":
            yield from self.parse_index(response)
            return
        try:
            result = parse_document(response.body, response.url,
                                    max_bytes=self._document_limit(response))  # fmt: skip
        except DiscoveryError as exc:
            self._count(f"discovery/{exc.reason}")
            log.warning("Skipped %s %s (%s): %s", kind, response.url, exc.reason, exc)
            self._signal_failed(response.url, exc.reason, kind, response.status)
            return
        self._count(f"discovery/documents/{result.kind}")
        if result.truncated:
            self._count("discovery/truncated")
        if result.skipped:  # file:, ftp:, javascript: ... entries: refused, never fetched
            self._count("discovery/skipped_url", result.skipped)
        if result.repeated:  # listed twice in this document: same counter as across documents
            self._count("discovery/duplicate_url", result.repeated)
        via = "sitemap" if result.kind in ("urlset", "sitemapindex") else "feed"
        for child in result.sitemaps:
            yield from self._child_sitemap(child.url, spec)
        for link in result.links:
            yield from self._discovered(link.url, {**link.as_meta(), "via": via}, spec)

    def _document_limit(self, response: Response) -> int:
        """Largest discovery document after gunzip: DOWNLOAD_MAXSIZE, within the protocol cap."""
        # Scrapy bounds only what it decompresses itself (Content-Encoding); a raw .xml.gz
        # body is gunzipped here, so the same limit must apply (0 means no Scrapy limit).
        limit = int(response.meta.get("download_maxsize")
                    or self.settings.getint("DOWNLOAD_MAXSIZE", 0))  # fmt: skip
        return min(limit, MAX_DOCUMENT_BYTES) if limit > 0 else MAX_DOCUMENT_BYTES

    def _child_sitemap(self, url: str, spec: SiteSpec | None) -> Iterator[scrapy.Request]:
        """Schedule a child sitemap once, within AGGREGATOR_MAX_SITEMAPS."""
        cap = self.settings.getint("AGGREGATOR_MAX_SITEMAPS", 500)
        if url in self.sitemaps_seen:
            self._count("discovery/sitemap_repeated")
            return
        if len(self.sitemaps_seen) >= cap:
            self._count("discovery/sitemap_capped")
            return
        self.sitemaps_seen.add(url)
        yield self._request(url, "sitemap", self.parse_discovery, spec)

    def _discovered(
        self, url: str, discovery: dict[str, Any], spec: SiteSpec | None
    ) -> Iterator[scrapy.Request]:
        """Schedule an article URL once; repeats and off-pattern URLs are counted."""
        if spec is not None and not spec.is_article_url(url):
            self._count("discovery/not_article_url")
            return
        if url in self.discovered:
            self._count("discovery/duplicate_url")
            return
        self.discovered.add(url)
        self._count("discovery/links")
        yield self._article_request(url, discovery, spec)

    def parse_index(
        self, response: Response, walk: IndexWalk | None = None
    ) -> Iterator[scrapy.Request]:
        """An index page: schedule its article links, then its next page while worthwhile."""
        self._count("discovery/index_pages")
        spec = site_named(response.meta.get("aggregator_site"))
        links: list[str] = []
        if isinstance(response, TextResponse):
            hrefs = response.css("a::attr(href)").getall()[: MAX_INDEX_LINKS * 4]
            links = index_article_links(hrefs, response.url, spec)
        else:
            self._count("discovery/not_html")
        for url in links:
            yield from self._discovered(url, {"via": "index", "source_url": response.url}, spec)
        if walk is None:
            return
        step = walk.advance(links)
        if step.url is None:
            self._count(f"discovery/paging_stopped/{step.stopped}")
            return
        # The incremental middleware drops this request if the page reached the watermark.
        yield self._index_request(step.url, spec, walk, aggregator_paging=step.meta)

    # -- articles --------------------------------------------------------------------
    def parse_article(
        self, response: Response, state: ArticleState | None = None
    ) -> Iterator[ArticleItem | scrapy.Request]:
        """One page of an article: extract, then follow the next page or build the item."""
        self._count("spider/pages")
        # The page's own host decides first: a regional Tribun article reached from the
        # national feed must be parsed (and dated) with its regional spec and zone.
        spec = site_for_url(response.url) or site_named(response.meta.get("aggregator_site"))
        if isinstance(response, TextResponse):
            fields = extract_page(response.body, response.url, site=spec,
                                  encoding=response.encoding)  # fmt: skip
        else:
            fields = PageFields(is_article=False, reject_reason="not_html")
        if state is not None and response.meta.get("aggregator_single"):
            yield from self._single_view(state, fields)
            return
        if not fields.is_article:
            yield from self._not_article(response, state, fields.reject_reason or "unknown")
            return
        if state is None:
            headers = {name: (response.headers.get(name) or b"").decode("latin-1")
                       for name in ("ETag", "Last-Modified")}  # fmt: skip
            # The archive's capture time when archiving: re-extraction resolves relative
            # dates against the same instant.
            fetched_at = response.meta.get("aggregator_fetched_at") or datetime.now(UTC)
            state = first_page_state(response.url, response.meta, headers, spec, fetched_at)
        state.pages.append(fields)
        yield from self._advance(state, fields)

    def _single_view(
        self, state: ArticleState, fields: PageFields
    ) -> Iterator[ArticleItem | scrapy.Request]:
        """The site's single-page view: the whole article, or fall back to its pages."""
        if use_single_view(state, fields):
            self._count("spider/single_view")
            yield self._item(state)
            return
        self._count(f"spider/single_view_unusable/{fields.reject_reason or 'empty'}")
        yield from self._advance(state, None)

    def _advance(
        self, state: ArticleState, fields: PageFields | None
    ) -> Iterator[ArticleItem | scrapy.Request]:
        """Fetch the next page (or the single-page view), or finish the article."""
        cap = self.settings.getint("AGGREGATOR_MAX_ARTICLE_PAGES", 20)
        step = next_step(state, fields, max_pages=cap)
        if step.capped:
            self._count("spider/pages_capped")
        if step.url is None:
            yield self._item(state)
            return
        request = self._request(step.url, "article_page", self.parse_article, state.site,
                                aggregator_single=step.single)  # fmt: skip
        request.cb_kwargs["state"] = state  # pages are bounded by the cap
        yield request

    def _item(self, state: ArticleState) -> ArticleItem:
        """Build the article from its pages."""
        item = finish_article(state, self.settings.getdict("AGGREGATOR_SOURCE_NAMES"))
        self._count("spider/articles")
        if item.page_count > 1:
            self._count("spider/multi_page_articles")
        return item

    def _not_article(
        self, response: Response, state: ArticleState | None, reason: str
    ) -> Iterator[ArticleItem]:
        """A page that holds no article: counted; a later page ends its article early."""
        self.crawler.signals.send_catch_log(signal=page_rejected, url=response.url, reason=reason)
        if state is not None and state.pages:
            self._count(f"spider/page_not_article/{reason}")
            yield self._item(state)
            return
        self._count(f"spider/not_article/{reason}")
        log.warning("Not an article (%s): %s", reason, response.url)

    # -- failures --------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[ArticleItem | scrapy.Request]:
        """A request failed for good: count it, log one line, record it; keep partial articles."""
        request = failure.request  # type: ignore[attr-defined]
        kind = request.meta.get("aggregator_kind", "article")
        reason, status = failure_reason(failure), failure_status(failure)
        if reason == "dns_error" and refused_by_resolver(request.url):
            reason = "ssrf_blocked"  # Twisted reports the resolver's refusal as a DNS error
        if status in (404, 410) and request.meta.get("aggregator_paging"):
            self._count(f"discovery/paging_stopped/{reason}")  # past the listing's last page
            return
        self._count("spider/failed")
        self._count(f"spider/failed/{kind}/{reason}")
        # After redirects request.url is the last hop; the failure belongs to the URL the
        # crawl asked for (the one a feed lists again and the incremental check looks up).
        url = request.meta.get("redirect_urls", [request.url])[0]
        hop = f" (via {request.url})" if url != request.url else ""
        # An interrupted crawl abandons every queued URL: one INFO line each, not a warning.
        log.log(logging.INFO if reason == "interrupted" else logging.WARNING,
                "Failed %s %s: %s%s", kind, url, reason, hop)  # fmt: skip
        self._signal_failed(url, reason, kind, status)
        state = request.cb_kwargs.get("state")
        if isinstance(state, ArticleState) and request.meta.get("aggregator_single"):
            use_single_view(state, PageFields(is_article=False))  # back to the pages
            yield from self._advance(state, None)
        elif isinstance(state, ArticleState) and state.pages:
            self._count("spider/partial_articles")
            yield self._item(state)

    def _signal_failed(self, url: str, reason: str, kind: str, status: int | None) -> None:
        """Tell the store pipeline (if any) about a URL that ended in failure."""
        names = self.settings.getdict("AGGREGATOR_SOURCE_NAMES")
        source = source_for(url, site_for_url(url), names)
        self.crawler.signals.send_catch_log(
            signal=fetch_failed, url=url, reason=reason, status=status, source=source, kind=kind,
        )  # fmt: skip
