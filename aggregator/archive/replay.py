"""The spider's article flow, replayed over archived pages (Scrapy-free).

`replay_article` does what `NewsSpider.parse_article` does with a first page and the
pages it leads to (next pages on the same host, or the site's single-page view with its
fallback), through the same functions (`extract_page`, `first_page_state`, `next_step`,
`use_single_view`, `finish_article`); only "fetch" becomes "look up the archived page".
A page the crawl could not get (never archived, or a non-2xx answer) takes the spider's
error path: the single view falls back to the pages, other pages end the article with
what was collected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aggregator.article import ArticleState, finish_article, first_page_state, next_step
from aggregator.article import use_single_view as adopt_single_view
from aggregator.discovery.starts import site_named
from aggregator.extraction import extract_page
from aggregator.items import ArticleItem
from aggregator.sites import site_for_url
from aggregator.types import PageFields


@dataclass(slots=True)
class FetchedPage:
    """An archived page as the spider would have received it."""

    url: str
    status: int
    body: bytes
    fetched_at: dt.datetime
    is_text: bool = True  # Scrapy made it a TextResponse
    encoding: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # ETag, Last-Modified
    meta: dict[str, Any] = field(default_factory=dict)


#: Looks up the archived page for a URL the flow asks for; None when the crawl failed it.
PageLookup = Callable[[str, bool], FetchedPage | None]


@dataclass(slots=True)
class Replay:
    """What replaying one article gave: an item, or the reason there is none."""

    item: ArticleItem | None
    reason: str | None = None
    pages: int = 0
    missing_pages: list[str] = field(default_factory=list)


def _fields(page: FetchedPage) -> PageFields:
    """Extraction of one page, as the spider does it."""
    spec = site_for_url(page.url) or site_named(page.meta.get("aggregator_site"))
    if not page.is_text:
        return PageFields(is_article=False, reject_reason="not_html")
    return extract_page(page.body, page.url, site=spec, encoding=page.encoding)


class _Flow:
    """One article's replay: mirrors the spider's parse_article/_advance/_single_view."""

    def __init__(self, lookup: PageLookup, max_pages: int, names: Mapping[str, str]) -> None:
        self.lookup, self.max_pages, self.names = lookup, max_pages, names
        self.result = Replay(item=None)

    def first(self, page: FetchedPage) -> Replay:
        """Parse the first page and follow the article to its end."""
        self.result.pages += 1
        fields = _fields(page)
        if not fields.is_article:
            self.result.reason = f"not_article/{fields.reject_reason or 'unknown'}"
            return self.result
        spec = site_for_url(page.url) or site_named(page.meta.get("aggregator_site"))
        state = first_page_state(page.url, page.meta, page.headers, spec, page.fetched_at)
        state.pages.append(fields)
        self._advance(state, fields)
        return self.result

    def _advance(self, state: ArticleState, fields: PageFields | None) -> None:
        """Fetch the next page (or the single view) from the archive, or finish."""
        while True:
            step = next_step(state, fields, max_pages=self.max_pages)
            if step.url is None:
                self._finish(state)
                return
            page = self.lookup(step.url, step.single)
            if page is None:
                self.result.missing_pages.append(step.url)
                if step.single:  # the spider's errback: back to the separate pages
                    adopt_single_view(state, PageFields(is_article=False))
                    fields = None
                    continue
                if state.pages:
                    self._finish(state)
                return
            self.result.pages += 1
            fields = _fields(page)
            if step.single:
                if adopt_single_view(state, fields):
                    self._finish(state)
                    return
                fields = None
                continue
            if not fields.is_article:  # a later page that is no article ends it early
                self._finish(state)
                return
            state.pages.append(fields)

    def _finish(self, state: ArticleState) -> None:
        """Build the item from the pages collected."""
        self.result.item = finish_article(state, self.names)


def replay_article(
    first: FetchedPage,
    lookup: PageLookup,
    *,
    max_pages: int = 20,
    names: Mapping[str, str] | None = None,
) -> Replay:
    """Rebuild the article whose first page is `first` (see module docstring)."""
    return _Flow(lookup, max_pages, names or {}).first(first)
