"""en.tempo.co: /read/<id>/<slug> (older: /read/news/YYYY/MM/DD/<id>,uk.html/<slug>)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="tempoen",
    label="Tempo English",
    domains=("en.tempo.co",),
    language="en",
    feeds=("https://rss.tempo.co/en",),
    sitemaps=("https://en.tempo.co/sitemap.xml",),
    article_patterns=(r"^/read/(news/\d{4}/\d\d/\d\d/)?\d{5,}",),
    exclude_patterns=(r"^/(tag|indeks|foto|video|search)/",),
)
