"""republika.co.id: /berita/<rubrik>/<sub>/YY/MM/DD/<id>-<slug> (old), /berita/<id>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="republika",
    label="Republika",
    domains=("republika.co.id",),
    feeds=("https://www.republika.co.id/rss",),
    news_sitemaps=("https://www.republika.co.id/sitemap-news.xml",),
    article_patterns=(
        r"^/berita/[\w-]+/[\w-]+/\d\d/\d\d/\d\d/\w+-",
        r"^/berita/[a-z0-9]{8,}/[\w-]+",
    ),
    exclude_patterns=(r"^/(video|tag|indeks|search|kanal)/",),
)
