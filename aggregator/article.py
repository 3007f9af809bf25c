"""Build one `ArticleItem` from the extracted page(s) of an article (Scrapy-free).

Used by the spider and by `aggregator extract`.  Feed and sitemap metadata fill gaps the
page leaves (title, tags) and add date candidates the date resolver weighs last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from aggregator.items import ArticleItem
from aggregator.types import DateCandidate, DateKind, DateSource, PageFields

if TYPE_CHECKING:
    from aggregator.sites import SiteSpec

#: Timezone for sites outside the registry: the wall clock of most Indonesian news.
DEFAULT_TIMEZONE: Final = "Asia/Jakarta"
_DISCOVERY_DATE_KEYS: Final[tuple[tuple[str, DateKind], ...]] = (
    ("published", "published"),
    ("lastmod", "modified"),
)


def source_for(url: str, site: SiteSpec | None) -> str:
    """The site's registry name, else the URL's host without `www.`."""
    if site is not None:
        return site.name
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or "unknown"


def discovery_candidates(discovery: Mapping[str, Any] | None) -> list[DateCandidate]:
    """Date candidates from a feed/sitemap entry (`published`, `lastmod`)."""
    if not discovery:
        return []
    source: DateSource = "sitemap" if discovery.get("via") == "sitemap" else "feed"
    out: list[DateCandidate] = []
    for key, kind in _DISCOVERY_DATE_KEYS:
        raw = discovery.get(key)
        if isinstance(raw, str) and raw.strip():
            out.append(DateCandidate(kind=kind, raw=raw.strip(), source=source, detail=key))
    return out


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
        date_candidates=[*merged.date_candidates, *discovery_candidates(found)],
        rule_hits=dict(merged.rule_hits),
        discovery=dict(found),
        canonical_hint=merged.canonical_url,
    )
