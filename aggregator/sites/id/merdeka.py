"""merdeka.com: /<channel>/<slug>.html."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="merdeka",
    label="Merdeka.com",
    domains=("merdeka.com",),
    feeds=("https://www.merdeka.com/feed/",),
    news_sitemaps=("https://www.merdeka.com/sitemap-news.xml",),
    article_patterns=(r"^/[\w-]+/[\w-]+\.html$", r"^/[\w-]+/[\w-]+/[\w-]+\.html$"),
    exclude_patterns=(r"^/(foto|video|tag|indeks|search|trending)/",),
)
