"""kapanlagi.com: /<channel>/.../<slug>-<6 hex>.html."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="kapanlagi",
    label="KapanLagi.com",
    domains=("kapanlagi.com",),
    feeds=("https://www.kapanlagi.com/feed/",),
    news_sitemaps=("https://www.kapanlagi.com/sitemap-news.xml",),
    article_patterns=(r"-[0-9a-f]{6}\.html$",),
    exclude_patterns=(r"^/(foto|video|tag|indeks|search)/", r"/(foto|video|galeri)/"),
)
