"""cnbcindonesia.com: /<channel>/<YYYYmmddHHMMSS>-<type>-<id>/<slug> (as CNN Indonesia)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="cnbcindonesia",
    label="CNBC Indonesia",
    domains=("cnbcindonesia.com",),
    feeds=("https://www.cnbcindonesia.com/news/rss", "https://www.cnbcindonesia.com/market/rss"),
    sitemaps=("https://www.cnbcindonesia.com/sitemap.xml",),
    article_patterns=(r"^/[\w-]+/\d{14}-\d+-\d+/[\w-]+",),
    exclude_patterns=(r"^/(tv|foto|video|infografis|tag|indeks)/",),
)
