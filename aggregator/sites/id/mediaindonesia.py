"""mediaindonesia.com: /<rubrik>/<id>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class MediaIndonesiaParser(SiteParser):
    """The 2025 template: div.article holds the lead image, text, footer channel box, editor."""

    class V1(SelectorVersion):
        """Byline div.author-2 (the organisation name when no reporter is credited)."""

        TITLE = "//div[contains(@class, 'post-header')]//h1 | (//h1)[1]"
        BODY = "//div[@class='article']"
        DROP = (
            ".//p[contains(@class, 'related-news')] | .//div[contains(@class, 'ext-channel')]"
            " | .//div[contains(@class, 'info-author')] | .//div[contains(@class, 'flying-carpet')]"
        )
        AUTHORS = "//div[contains(@class, 'post-header')]//div[contains(@class, 'author-2')]"
        AUTHOR_DROP = ("media indonesia",)
        DATE = "//div[contains(@class, 'post-header')]//span[contains(@class, 'datetime')]"
        TAGS = "//div[contains(@class, 'tag')]//a"


SPEC = SiteSpec(
    name="mediaindonesia",
    label="Media Indonesia",
    domains=("mediaindonesia.com",),
    # Source: the sitemap Fundus lists for this publisher (fundus src/fundus/publishers/id).
    sitemaps=("https://mediaindonesia.com/sitemap.xml",),
    article_patterns=(r"^/[\w-]+/\d{3,}/[\w-]+",),
    exclude_patterns=(r"^/(tag|video|foto|galleries|infografis|indeks|search)/",),
    parser=MediaIndonesiaParser,
    verified=True,
    fixtures=("mediaindonesia-1", "mediaindonesia-2", "mediaindonesia-3"),
    notes="proven on 2025-2026 pages",
)
