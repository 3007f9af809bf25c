"""Date candidates from a feed or sitemap entry (`ArticleItem.discovery`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aggregator.types import DateCandidate, DateSource

_SITEMAP_HINT = re.compile(r"sitemap|/news\.xml|\.xml\.gz", re.I)


def entry_source(discovery: Mapping[str, Any]) -> DateSource:
    """"feed" or "sitemap": the entry's `via`/`kind` if given, else a guess from its URL."""
    kind = str(discovery.get("via") or discovery.get("kind") or "").lower()
    if kind in ("sitemap", "urlset", "sitemapindex"):
        return "sitemap"
    if kind in ("feed", "rss", "atom", "rdf"):
        return "feed"
    source_url = str(discovery.get("source_url") or "")
    return "sitemap" if _SITEMAP_HINT.search(source_url) else "feed"


def entry_candidates(discovery: Mapping[str, Any] | None) -> list[DateCandidate]:
    """The entry's published (pubDate, news:publication_date) and lastmod dates."""
    if not discovery:
        return []
    source = entry_source(discovery)
    out = []
    for key, kind in (("published", "published"), ("lastmod", "modified")):
        raw = discovery.get(key)
        if isinstance(raw, str) and raw.strip():
            out.append(DateCandidate(kind, raw.strip(), source, key))  # type: ignore[arg-type]
    return out
