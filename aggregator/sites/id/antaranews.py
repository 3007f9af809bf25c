"""antaranews.com: /berita/<id>/<slug> on www and regional subdomains."""

from __future__ import annotations

from aggregator.sites.base import IndexPage, SiteSpec

SPEC = SiteSpec(
    name="antaranews",
    label="ANTARA News",
    domains=("antaranews.com",),
    feeds=("https://www.antaranews.com/rss/terkini.xml", "https://www.antaranews.com/rss/top-news.xml"),
    news_sitemaps=("https://www.antaranews.com/sitemap-news.xml",),
    index_pages=(IndexPage("https://www.antaranews.com/terkini/{page}", max_pages=3),),
    article_patterns=(r"^/berita/\d{4,}/",),
    exclude_patterns=(r"^/(foto|video|infografik|tag|indeks|rss)/",),
    exclude_hosts=("en.antaranews.com",),
)
