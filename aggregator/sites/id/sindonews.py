"""sindonews.com: <channel>.sindonews.com/read/<id>/<cat>/<slug>-<epoch>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="sindonews",
    label="SINDOnews",
    domains=("sindonews.com",),
    feeds=("https://nasional.sindonews.com/rss", "https://ekbis.sindonews.com/rss"),
    news_sitemaps=("https://www.sindonews.com/sitemap-news.xml",),
    article_patterns=(r"^/read/\d{4,}/\d+/[\w-]+",),
    exclude_patterns=(r"^/(video|photo|foto|tag|topic|indeks)/",),
    exclude_hosts=("video.sindonews.com", "photo.sindonews.com"),
)
