"""wowkeren.com: /berita/tampil/<zero-padded id>.html."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="wowkeren",
    label="WowKeren",
    domains=("wowkeren.com",),
    # Source: the news feed read by open-source WowKeren reader apps.
    feeds=("https://www.wowkeren.com/rss/wk_news.xml",),
    article_patterns=(r"^/berita/tampil/\d+\.html$",),
    exclude_patterns=(r"^/(foto|video|galeri|tag|seleb)/",),
    notes="unverified: no saved page; generic extraction only",
)
