"""suara.com: /<channel>/YYYY/MM/DD/<HHMMSS>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="suara",
    label="Suara.com",
    domains=("suara.com",),
    feeds=("https://www.suara.com/rss",),
    news_sitemaps=("https://www.suara.com/sitemap-news.xml",),
    article_patterns=(r"^/[\w-]+/\d{4}/\d\d/\d\d/\d+/[\w-]+",),
    exclude_patterns=(r"^/(video|foto|tag|indeks|search)/",),
)
