"""Walk a paginated index page by page (Scrapy-free): which links count, when to stop.

An index (`IndexPage` of a site spec, or a `--index` URL with a `{page}` placeholder) is
fetched one page at a time.  After each page `IndexWalk.advance` decides whether to ask
for the next one: not when the page held no article links, none that earlier pages of
the same walk did not already show (a server that ignores `?page=` serves page 1 again),
or the walk reached its page cap.  The next-page request carries the
`aggregator_paging` meta that `aggregator.incremental` reads to stop at the source's
watermark, so a re-run of an unchanged listing stops after page 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import urljoin, urlsplit

from aggregator.extraction.reject import looks_like_article_url

if TYPE_CHECKING:
    from aggregator.sites import SiteSpec

#: Article links taken from one index page (the rest of a huge page is ignored).
MAX_INDEX_LINKS: Final = 500
#: Pages of a `--index` template walked when the caller gives no cap.
DEFAULT_INDEX_PAGES: Final = 5
PLACEHOLDER: Final = "{page}"


def index_article_links(hrefs: Iterable[str], base: str, spec: SiteSpec | None) -> list[str]:
    """Absolute article links of an index page, de-duplicated, in page order.

    With a site spec its URL rules decide; without one, only links on the page's own
    host that are shaped like a story (long slug or long numeric id) count, so menus,
    tag pages and the pagination itself are left out.
    """
    host = urlsplit(base).netloc
    out: dict[str, None] = {}
    for href in hrefs:
        url = urljoin(base, href.strip()).split("#", 1)[0]
        if url in out or url == base:
            continue
        if spec is not None:
            keep = spec.is_article_url(url)
        else:
            keep = urlsplit(url).netloc == host and looks_like_article_url(url)
        if keep:
            out[url] = None
            if len(out) >= MAX_INDEX_LINKS:
                break
    return list(out)


def page_url(template: str, page: int) -> str:
    """The URL of page number `page` of a template (the template itself without `{page}`)."""
    return template.replace(PLACEHOLDER, str(page))


class PagingStep(NamedTuple):
    """The next index page to request (with its paging meta), or why the walk stopped."""

    url: str | None = None
    meta: dict[str, Any] | None = None
    stopped: str | None = None


@dataclass(slots=True)
class IndexWalk:
    """One index being paged through in one crawl."""

    source: str  # site name or host: the watermark's owner
    template: str
    first_page: int = 1
    max_pages: int = 1
    ordinal: int = 1  # position of the page being parsed: 1 for the first page
    seen: set[str] = field(default_factory=set)  # article links shown by earlier pages

    @property
    def paged(self) -> bool:
        """True when the template has a page placeholder (else it is a single page)."""
        return PLACEHOLDER in self.template

    @property
    def index_url(self) -> str:
        """The first page's URL: the key of this index's watermark."""
        return page_url(self.template, self.first_page)

    def advance(self, links: list[str]) -> PagingStep:
        """Record the current page's article `links` and pick the next page, if any."""
        fresh = [u for u in links if u not in self.seen]
        self.seen.update(links)
        if not links:
            return PagingStep(stopped="no_links")
        if not fresh:
            return PagingStep(stopped="no_new_links")
        if not self.paged or self.ordinal >= self.max_pages:
            return PagingStep(stopped="max_pages")
        self.ordinal += 1
        # `page` is the ordinal of the page requested; page_urls are the page just parsed
        # (the incremental middleware takes page 1's newest link as the watermark).
        meta = {"source": self.source, "index_url": self.index_url, "page": self.ordinal,
                "page_urls": list(links), "page_dates": []}  # fmt: skip
        number = self.first_page + self.ordinal - 1
        return PagingStep(url=page_url(self.template, number), meta=meta)
