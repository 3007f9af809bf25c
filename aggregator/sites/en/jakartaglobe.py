"""jakartaglobe.id (formerly thejakartaglobe.beritasatu.com): /<section>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec

SPEC = SiteSpec(
    name="jakartaglobe",
    label="Jakarta Globe",
    domains=("jakartaglobe.id", "thejakartaglobe.beritasatu.com"),
    language="en",
    feeds=("https://jakartaglobe.id/rss",),
    sitemaps=("https://jakartaglobe.id/sitemap.xml",),
    article_patterns=(
        r"^/(news|business|lifestyle|opinion|tech|sports|special-updates|international)/[\w-]+",
    ),
    exclude_patterns=(r"^/(tag|author|video|photo|search)/", r"^/[\w-]+/?$"),
)
