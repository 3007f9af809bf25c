"""wowkeren.com: /berita/tampil/<zero-padded id>.html."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="wowkeren",
    label="WowKeren",
    domains=("wowkeren.com",),
    feeds=("https://www.wowkeren.com/rss/berita.xml",),
    sitemaps=("https://www.wowkeren.com/sitemap.xml",),
    article_patterns=(r"^/berita/tampil/\d+\.html$",),
    exclude_patterns=(r"^/(foto|video|galeri|tag|seleb)/",),
    notes="unverified: no saved page; generic extraction only",
)
