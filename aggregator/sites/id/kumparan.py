"""kumparan.com: /<channel or user>/<slug>-<base62 id>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="kumparan",
    label="kumparan",
    domains=("kumparan.com",),
    # Source: okkymabruri/news-watch
    # src/newswatch/scrapers/kumparan.py.
    feeds=("https://lapi.kumparan.com/v2.0/rss/",),
    article_patterns=(r"^/[\w.-]+/[\w-]+-[0-9][0-9A-Za-z]{8,}/?$",),
    exclude_patterns=(r"^/(topic|channel|search|trending|tag)/",),
    exclude_hosts=("lapi.kumparan.com",),
    notes="unverified: pages are rendered client-side; generic extraction (JSON-LD, meta) only",
)
