"""merdeka.com: /<channel>/<slug>.html."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion

_DATE = r"\d{1,2} \w+ \d{4},? \d{1,2}:\d\d"


class MerdekaParser(SiteParser):
    """The mdk-body template (2015), then mdk-news-body (2021; all pages in one document)."""

    class V1(SelectorVersion):
        """div#mdk-body-newsarea; 'Reporter : <name> | <date>' line above the text."""

        VALID_UNTIL: ClassVar[date | None] = date(2017, 12, 31)
        TITLE = "//div[@id='mdk-body-news']//h1 | (//h1)[1]"
        BODY = "//div[@id='mdk-body-newsarea']"
        DROP = ".//div[contains(@class, 'box_shortcut')]"
        AUTHORS = "//div[@id='mdk-body-news-reporter']//a"
        DATE = "//div[@id='mdk-body-news-reporter']"
        DATE_RE = _DATE

    class V2(SelectorVersion):
        """mdk-news-body: 'CHANNEL | <date> Reporter : <name>' line; pages stacked in one DOM."""

        VALID_UNTIL = None
        TITLE = "//div[@id='mdk-news-detail']//h1 | (//h1)[1]"
        BODY = (
            "(//div[contains(@class, 'mdk-news-body')]"
            "/div[contains(@class, 'mdk-body-paragraph')])[1]"
        )
        DROP = (
            ".//*[starts-with(normalize-space(.), 'Baca Selanjutnya')]"
            " | .//div[contains(@class, 'paging') and not(contains(@class, 'paging-content'))]"
            " | .//div[contains(@class, 'mdk-tag')] | .//*[contains(@class, 'widereadpage')]"
            " | .//div[contains(@class, 'imagecontent') or contains(@class, 'imageinfo')]"
            # 'Baca juga' lists: a hidden header, then paragraphs that are one link each.
            " | .//p[contains(@class, 'dont-display')]"
            " | .//p[count(a) = 1][normalize-space(.) = normalize-space(a)]"
        )
        AUTHORS = "//div[contains(@class, 'mdk-date-reporter')]/span[contains(., 'Reporter')]/a"
        DATE = "//div[contains(@class, 'mdk-date-reporter')]"
        DATE_RE = _DATE


SPEC = SiteSpec(
    name="merdeka",
    label="Merdeka.com",
    domains=("merdeka.com",),
    # Sources: /feed/ from public RSS catalogues of open-source
    # Indonesian news readers; /rss/ from okkymabruri/news-watch
    # src/newswatch/scrapers/merdeka.py.
    feeds=("https://www.merdeka.com/feed/", "https://www.merdeka.com/rss/"),
    article_patterns=(r"^/[\w-]+/[\w-]+\.html$", r"^/[\w-]+/[\w-]+/[\w-]+\.html$"),
    exclude_patterns=(r"^/(foto|video|tag|indeks|search|company|profil)/",),
    parser=MerdekaParser,
    verified=True,
    fixtures=("merdeka-1", "merdeka-2", "merdeka-3"),
    notes="proven on 2015 and 2021 pages",
)
