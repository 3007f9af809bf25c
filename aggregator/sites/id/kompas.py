"""kompas.com: articles are /read/YYYY/MM/DD/<id>/<slug> on channel subdomains."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="kompas",
    label="Kompas.com",
    domains=("kompas.com",),
    feeds=("https://rss.kompas.com/api/feed/social?apikey=bc58c81819dff4b8d5c53540a2fc7ffd83e6314a",),
    news_sitemaps=("https://www.kompas.com/sitemap-news.xml",),
    sitemaps=("https://www.kompas.com/sitemap.xml",),
    article_patterns=(r"^/read/\d{4}/\d\d/\d\d/\d+/",),
    exclude_patterns=(r"^/(tag|video|jeo|indeks|search)/",),
    exclude_hosts=("video.kompas.com", "indeks.kompas.com", "vik.kompas.com"),
)
