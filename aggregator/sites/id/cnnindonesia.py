"""cnnindonesia.com: /<channel>/<YYYYmmddHHMMSS>-<type>-<id>/<slug>."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class CnnIndonesiaParser(SiteParser):
    """The detik-network template CNN Indonesia uses (unverified: no saved page yet)."""

    class V1(SelectorVersion):
        """div.detail-text body; '<author>, CNN Indonesia | <date>' line under the headline."""

        TITLE = "(//div[contains(@class, 'content-detail')]//h1 | //h1)[1]"
        # detail-text (2023 layout), detail_text (2020 layout, h1.title), per public scrapers.
        BODY = (
            "//div[contains(@class, 'detail-text')] | //div[contains(@class, 'detail_text')]"
            " | //div[@id='detikdetailtext']"
        )
        DROP = ".//div[contains(@class, 'paradetail')] | .//table[contains(@class, 'linksisip')]"
        DATE = "//div[contains(@class, 'text-cnn_grey')] | //div[@class='date']"
        DATE_RE = r"\w+, \d{1,2} \w{3} \d{4} \d{1,2}:\d\d( WIB)?"


SPEC = SiteSpec(
    name="cnnindonesia",
    label="CNN Indonesia",
    domains=("cnnindonesia.com",),
    # Source: the channel feeds read by okkymabruri/news-watch
    # src/newswatch/scrapers/cnnindonesia.py.
    feeds=tuple(
        f"https://www.cnnindonesia.com/{channel}/rss"
        for channel in ("nasional", "internasional", "ekonomi", "olahraga", "teknologi", "hiburan")
    ),
    article_patterns=(r"^/[\w-]+/\d{14}-\d+-\d+/[\w-]+",),
    exclude_patterns=(r"^/(tv|foto|video|infografis|tag|indeks)/",),
    parser=CnnIndonesiaParser,
    notes="unverified: no saved page; selectors follow the detik-network template",
)
