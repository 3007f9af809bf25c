"""jpnn.com: /news/<slug> on www and regional subdomains."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="jpnn",
    label="JPNN.com",
    domains=("jpnn.com",),
    feeds=("https://www.jpnn.com/index.php?mib=rss",),
    news_sitemaps=("https://www.jpnn.com/sitemap_news.xml",),
    article_patterns=(r"^/news/[\w-]+$",),
    exclude_patterns=(r"^/(tag|video|foto|indeks|search)/",),
)
