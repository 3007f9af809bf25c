"""cnbcindonesia.com: /<channel>/<YYYYmmddHHMMSS>-<type>-<id>/<slug> (as CNN Indonesia)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class CnbcIndonesiaParser(SiteParser):
    """The detik-network template CNBC Indonesia uses (unverified: no saved page yet)."""

    class V1(SelectorVersion):
        """div.detail_text body; date line in div.date."""

        # The 2023 template's h1.text-32 and div.text-cm.text-gray date: names from
        # okkymabruri/news-watch's scraper.
        TITLE = "(//h1[contains(@class, 'text-32')] | //div[contains(@class, 'jdl')]//h1 | //h1)[1]"
        BODY = "//div[contains(@class, 'detail_text')] | //div[contains(@class, 'detail-text')]"
        DROP = ".//div[contains(@class, 'paradetail')] | .//table[contains(@class, 'linksisip')]"
        DATE = (
            "//div[contains(@class, 'text-cm') and contains(@class, 'text-gray')]"
            " | //div[@class='date'] | //div[contains(@class, 'detail__date')]"
        )


SPEC = SiteSpec(
    name="cnbcindonesia",
    label="CNBC Indonesia",
    domains=("cnbcindonesia.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers; okkymabruri/news-watch
    # src/newswatch/scrapers/cnbcindonesia.py reads the same endpoint.
    feeds=("https://www.cnbcindonesia.com/rss",),
    article_patterns=(r"^/[\w-]+/\d{14}-\d+-\d+/[\w-]+",),
    exclude_patterns=(r"^/(tv|foto|video|infografis|tag|indeks)/",),
    parser=CnbcIndonesiaParser,
    notes="unverified: no saved page; selectors follow the detik-network template",
)
