"""cnnindonesia.com: /<channel>/<YYYYmmddHHMMSS>-<type>-<id>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="cnnindonesia",
    label="CNN Indonesia",
    domains=("cnnindonesia.com",),
    feeds=("https://www.cnnindonesia.com/nasional/rss", "https://www.cnnindonesia.com/ekonomi/rss"),
    sitemaps=("https://www.cnnindonesia.com/sitemap.xml",),
    article_patterns=(r"^/[\w-]+/\d{14}-\d+-\d+/[\w-]+",),
    exclude_patterns=(r"^/(tv|foto|video|infografis|tag|indeks)/",),
)
