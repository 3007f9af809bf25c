"""Build one `ArticleItem` from the extracted page(s) of an article (Scrapy-free).

Used by the spider and by `aggregator extract`.  Feed and sitemap metadata fill gaps the
page leaves (title, tags) and add date candidates the date resolver weighs last.
`ArticleState` and `next_step` decide which page of a multi-page article to fetch next:
the single-page view when the site offers one (falling back to the pages if it fails),
otherwise the next pages on the same host, up to a cap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, NamedTuple
from urllib.parse import urlsplit

from aggregator.dates.entry import entry_candidates
from aggregator.items import ArticleItem
from aggregator.types import PageFields

if TYPE_CHECKING:
    from aggregator.sites import SiteSpec

#: Timezone for sites outside the registry: the wall clock of most Indonesian news.
DEFAULT_TIMEZONE: Final = "Asia/Jakarta"


def source_for(url: str, site: SiteSpec | None, names: Mapping[str, str] | None = None) -> str:
    """The site's registry name, else the name `names` gives the URL, else its host sans `www.`.

    `names` is the AGGREGATOR_SOURCE_NAMES setting: keys `host[:port][/path]`, the longest
    key that starts the URL wins (why paths: two outlets can share one host, as the demo's do).
    """
    if site is not None:
        return site.name
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    named = _configured_name(host, parts.port, parts.path or "/", names) if names else None
    return named or host or "unknown"


def _configured_name(host: str, port: int | None, path: str, names: Mapping[str, str]) -> str:
    """The value of the longest `names` key matching host, port and path ("" if none)."""
    forms = [host + path] if port is None else [host + path, f"{host}:{port}{path}"]
    best, name = -1, ""
    for key, value in names.items():
        where, slash, rest = key.partition("/")
        key = where.lower().removeprefix("www.") + slash + rest
        # Whole labels only: "example.com" (any port) does not name "example.com.evil.org",
        # "h:80" does not name "h:8080", "h/warta" does not name "h/wartawan/".
        if len(key) > best and any(_starts(form, key) for form in forms):
            best, name = len(key), value
    return name


def _starts(form: str, key: str) -> bool:
    """True when `key` is `form` or a prefix of it that ends where a `/` starts or ends."""
    return form.startswith(key) and (
        len(form) == len(key) or key.endswith("/") or form[len(key)] == "/"
    )


def merge_pages(pages: Sequence[PageFields]) -> PageFields:
    """One `PageFields` for the article: the page itself, or the stitched pages."""
    if not pages:
        raise ValueError("build_article needs at least one page")
    if len(pages) == 1:
        return pages[0]
    from aggregator.extraction import stitch_pages  # heavy import, only for multi-page

    return stitch_pages(list(pages))


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC; naive datetimes are refused (they hide a timezone bug)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("fetched_at must be timezone-aware")
    return moment.astimezone(UTC)


def _keywords(discovery: Mapping[str, Any] | None) -> list[str]:
    """Keywords from the discovery entry, as a clean list of strings."""
    raw = (discovery or {}).get("keywords") or []
    return [k for k in raw if isinstance(k, str) and k.strip()] if isinstance(raw, list) else []


def build_article(
    pages: Sequence[PageFields],
    *,
    url: str,
    source: str,
    fetched_at: datetime,
    site: SiteSpec | None = None,
    discovery: Mapping[str, Any] | None = None,
    aliases: Sequence[str] = (),
) -> ArticleItem:
    """The `ArticleItem` for an article whose first page is `url`."""
    merged = merge_pages(pages)
    found = discovery or {}
    title = merged.title or (found.get("title") if isinstance(found.get("title"), str) else None)
    return ArticleItem(
        url=url,
        source=source,
        fetched_at=_utc(fetched_at),
        title=title,
        body=merged.body,
        authors=list(merged.authors),
        editors=list(merged.editors),
        credit_codes=list(merged.credit_codes),
        wire_source=merged.wire_source,
        language=merged.language or (site.language if site is not None else None),
        section=merged.section,
        tags=list(merged.tags) or _keywords(found),
        image_url=merged.image_url,
        description=merged.description,
        aliases=[a for a in dict.fromkeys(aliases) if a != url],
        page_count=max(len(pages), 1),
        timezone=site.timezone if site is not None else DEFAULT_TIMEZONE,
        extractor=merged.extractor,
        date_candidates=[*merged.date_candidates, *entry_candidates(found)],
        rule_hits=dict(merged.rule_hits),
        discovery=dict(found),
        canonical_hint=merged.canonical_url,
    )


@dataclass(slots=True)
class ArticleState:
    """The pages of one article collected so far, carried from page to page."""

    url: str
    discovery: dict[str, Any]
    site: SiteSpec | None
    fetched_at: datetime
    aliases: list[str] = field(default_factory=list)
    pages: list[PageFields] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # next pages still to fetch, in order
    seen: set[str] = field(default_factory=set)
    headers: dict[str, str] = field(default_factory=dict)  # ETag, Last-Modified of page 1
    fallback: list[str] = field(default_factory=list)  # pages to fetch if the single view fails
    single_tried: bool = False
    single_view: bool = False  # `pages` holds the site's single-page view
    page_count: int | None = None  # pages the site says the article has


def first_page_state(
    url: str,
    meta: Mapping[str, Any],
    headers: Mapping[str, str],
    site: SiteSpec | None,
    fetched_at: datetime,
) -> ArticleState:
    """State for an article whose first page answered at `url` (after any redirects)."""
    aliases = [u for u in meta.get("redirect_urls", []) if u != url]
    return ArticleState(
        url=url,
        discovery=dict(meta.get("aggregator_discovery") or {}),
        site=site,
        fetched_at=fetched_at,
        aliases=aliases,
        seen={url, *aliases},
        headers=dict(headers),
    )


def finish_article(state: ArticleState, names: Mapping[str, str] | None = None) -> ArticleItem:
    """The item for the pages collected in `state`, with page 1's HTTP validators.

    `names`: the AGGREGATOR_SOURCE_NAMES setting (see `source_for`).
    """
    item = build_article(
        state.pages,
        url=state.url,
        source=source_for(state.url, state.site, names),
        fetched_at=state.fetched_at,
        site=state.site,
        discovery=state.discovery,
        aliases=state.aliases,
    )
    if state.single_view:
        item.page_count = max(item.page_count, state.page_count or 1)
    item.http_etag = state.headers.get("ETag") or None
    item.http_last_modified = state.headers.get("Last-Modified") or None
    return item


class PageStep(NamedTuple):
    """What to fetch next: a URL (the single view or a next page), or nothing."""

    url: str | None = None
    single: bool = False
    capped: bool = False


def _same_host(url: str, state: ArticleState) -> bool:
    """True when `url` is on the article's own host (and port) and not fetched yet."""
    return url not in state.seen and urlsplit(url).netloc == urlsplit(state.url).netloc


def next_step(state: ArticleState, fields: PageFields | None, *, max_pages: int) -> PageStep:
    """Queue what `fields` links to and pick the next fetch (None `fields`: just continue)."""
    if fields is not None:
        nexts = [u for u in dict.fromkeys(fields.next_page_urls) if _same_host(u, state)]
        single = fields.single_page_url
        if nexts and len(state.pages) == 1 and single and not state.single_tried \
                and _same_host(single, state):  # fmt: skip
            state.single_tried = True
            state.fallback = nexts
            state.seen.update([*nexts, single])
            state.page_count = fields.page_count or len(nexts) + 1
            return PageStep(single, single=True)
        state.pending.extend(nexts)
        state.seen.update(nexts)
    if state.pending and len(state.pages) >= max_pages:
        state.pending.clear()
        return PageStep(capped=True)
    if state.pending:
        return PageStep(state.pending.pop(0))
    return PageStep()


def use_single_view(state: ArticleState, fields: PageFields) -> bool:
    """Adopt the single-page view if it holds the article; else queue the separate pages."""
    if fields.is_article and fields.body:
        state.pages = [fields]
        state.single_view = True
        return True
    state.pending, state.fallback = state.fallback, []
    return False
