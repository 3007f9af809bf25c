"""detik.com: every channel is a subdomain (news., finance., sport., inet., hot. ...)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="detik",
    label="detikcom",
    domains=("detik.com",),
    feeds=("https://news.detik.com/rss", "https://finance.detik.com/rss"),
    news_sitemaps=("https://news.detik.com/sitemap_news.xml",),
    sitemaps=("https://news.detik.com/sitemap.xml",),
    # d-1234567 (since 2016), /read/YYYY/MM/DD/... and /berita/1234567/ (older layouts).
    article_patterns=(r"/d-\d{5,}/", r"^/read/\d{4}/\d\d/\d\d/\d+/\d+", r"^/berita/\d{5,}/"),
    exclude_patterns=(r"(^|/)(foto-[\w-]+|readfoto|detiktv|video|videos|tag|indeks|search)/",),
    exclude_hosts=("20.detik.com",),
)
