"""tempo.co: /read/<id>/<slug> and /read/news/YYYY/MM/DD/<id>/<slug> on channel subdomains."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="tempo",
    label="Tempo.co",
    domains=("tempo.co",),
    feeds=("https://rss.tempo.co/nasional", "https://rss.tempo.co/bisnis"),
    sitemaps=("https://www.tempo.co/sitemap.xml",),
    # Since the 2024 redesign: www.tempo.co/<rubrik>/<slug>-<id>.
    article_patterns=(r"^/read/(news/\d{4}/\d\d/\d\d/)?\d{5,}", r"^/[\w-]+/[\w-]+-\d{6,}$"),
    exclude_patterns=(r"^/(tag|indeks|foto|video|newsletter|search)/",),
    exclude_hosts=("en.tempo.co", "rss.tempo.co", "video.tempo.co", "foto.tempo.co"),
)
