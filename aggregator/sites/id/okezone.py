"""okezone.com: /read/YYYY/MM/DD/<channel id>/<id>/<slug> on channel subdomains."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="okezone",
    label="Okezone",
    domains=("okezone.com",),
    feeds=("https://sindikasi.okezone.com/index.php/rss/0/RSS2.0",),
    news_sitemaps=("https://news.okezone.com/sitemap-news.xml",),
    article_patterns=(r"^/read/\d{4}/\d\d/\d\d/\d+/\d+/",),
    exclude_patterns=(r"^/(tag|indeks|foto|video|search)/",),
    exclude_hosts=("video.okezone.com", "foto.okezone.com", "sindikasi.okezone.com"),
)
