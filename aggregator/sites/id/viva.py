"""viva.co.id: /<channel>/<sub>/<id>-<slug> (since 2017) and /<channel>/read/<id>-<slug> (older)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="viva",
    label="VIVA",
    domains=("viva.co.id",),
    feeds=("https://www.viva.co.id/get/all",),
    news_sitemaps=("https://www.viva.co.id/sitemap/news.xml",),
    article_patterns=(r"/read/\d{5,}-[\w-]+", r"^/[\w-]+/[\w-]+/\d{5,}-[\w-]+"),
    exclude_patterns=(r"^/(video|vstory|foto|tag|indeks|search)/",),
)
