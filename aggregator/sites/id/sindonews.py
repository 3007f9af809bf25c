"""sindonews.com: <channel>.sindonews.com/read/<id>/<cat>/<slug>-<epoch>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class SindonewsParser(SiteParser):
    """The detail-* template (unverified: no saved page yet)."""

    class V1(SelectorVersion):
        """div.detail-desc body; 'Kamis, 02 November 2023 - 20:59 WIB' date line."""

        # Selector names also used by public SINDOnews scrapers (detail__title, detail_desc).
        TITLE = (
            "//div[contains(@class, 'detail-title')]//h1 | //h1[contains(@class, 'detail-title')]"
            " | //h1[contains(@class, 'detail__title')]"
        )
        BODY = (
            "//div[contains(@class, 'detail-desc') or contains(@class, 'detail_desc')]"
            " | //div[@id='detail-desc']"
        )
        DROP = ".//div[contains(@class, 'baca-inline')] | .//div[contains(@class, 'ads')]"
        AUTHORS = "//div[contains(@class, 'detail-nama-redaksi')]//a"
        DATE = "//div[contains(@class, 'detail-date-artikel')] | //time"


SPEC = SiteSpec(
    name="sindonews",
    label="SINDOnews",
    domains=("sindonews.com",),
    # Source: okkymabruri/news-watch
    # src/newswatch/scrapers/sindonews.py ("/feed returns an RSS 2.0 document").
    feeds=("https://www.sindonews.com/feed",),
    # Channel news sitemaps (sports.sindonews.com's is read by public scrapers).
    news_sitemaps=("https://sports.sindonews.com/sitemap-news.xml",),
    article_patterns=(r"^/read/\d{4,}/\d+/[\w-]+",),
    exclude_patterns=(r"^/(video|photo|foto|tag|topic|indeks)/",),
    exclude_hosts=("video.sindonews.com", "photo.sindonews.com"),
    parser=SindonewsParser,
    notes="unverified: no saved page; selectors follow the current detail-* template",
)
