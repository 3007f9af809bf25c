"""mediaindonesia.com: /<rubrik>/<id>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="mediaindonesia",
    label="Media Indonesia",
    domains=("mediaindonesia.com",),
    feeds=("https://mediaindonesia.com/feed",),
    # The sitemap is the one Fundus lists for this publisher (fundus src/fundus/publishers/id).
    sitemaps=("https://mediaindonesia.com/sitemap.xml",),
    article_patterns=(r"^/[\w-]+/\d{3,}/[\w-]+",),
    exclude_patterns=(r"^/(tag|video|foto|galleries|infografis|indeks|search)/",),
)
