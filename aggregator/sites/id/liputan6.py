"""liputan6.com: /<channel>/read/<id>/<slug> (older: <channel>.liputan6.com/read/<id>/<slug>)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="liputan6",
    label="Liputan6.com",
    domains=("liputan6.com",),
    feeds=("https://feed.liputan6.com/rss/news",),
    news_sitemaps=("https://www.liputan6.com/sitemap_news.xml",),
    article_patterns=(r"(^|/)read/\d{5,}/",),
    exclude_patterns=(r"^/(photo|tv|video|tag|indeks|search)/",),
    exclude_hosts=("photo.liputan6.com", "video.liputan6.com", "feed.liputan6.com"),
)
