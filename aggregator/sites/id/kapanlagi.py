"""kapanlagi.com: /<channel>/.../<slug>-<6 hex>.html."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class KapanLagiParser(SiteParser):
    """The v6/v7 templates (entertainment and musik sub-sites); no reporter byline."""

    class V1(SelectorVersion):
        """'Jangan Lewatkan' related links close the text inside the same container."""

        TITLE = (
            "//h1[contains(@class, 'entertainment-newsdetail-title')"
            " or contains(@class, 'newsdetail-title')]"
        )
        BODY = (
            "//div[contains(@class, 'entertainment-detail-news')]"
            " | //div[contains(@class, 'v7-music-detail-news')]"
        )
        DROP = (
            ".//div[contains(@class, 'caption')] | .//div[contains(@class, 'v7-tags-terkait')]"
            " | .//div[contains(@class, 'lifestyle-in-content')]"
        )
        CUT_AT = r"(?i)^jangan lewatkan"
        DATE = (
            "//span[contains(@class, 'newsdetail-schedule-new')]"
            " | //span[contains(@class, 'v7-music-newsdetail-schedule')]"
        )
        DATE_RE = r"\w+, \d{1,2} \w+ \d{4} \d{1,2}:\d\d"


SPEC = SiteSpec(
    name="kapanlagi",
    label="KapanLagi.com",
    domains=("kapanlagi.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers (the feed saved in tests/fixtures/id-news/feeds too).
    feeds=("https://www.kapanlagi.com/feed/",),
    article_patterns=(r"-[0-9a-f]{6}\.html$",),
    exclude_patterns=(r"^/(foto|video|tag|indeks|search)/", r"/(foto|video|galeri)/"),
    parser=KapanLagiParser,
    verified=True,
    fixtures=("kapanlagi-1", "kapanlagi-2", "kapanlagi-3"),
    notes="proven on 2015-2016 pages; the current layout is unverified",
)
