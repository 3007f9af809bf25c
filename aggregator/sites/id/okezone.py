"""okezone.com: /read/YYYY/MM/DD/<channel id>/<id>/<slug> on channel subdomains."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion

_DATE = r"\w+'?\w*, \d{1,2} \w+ \d{4} - \d{1,2}:\d\d( [wW][iI][bB])?"
# Hidden "read-1244264" tracking tokens and share widgets sit around the text.
_DROP = (
    ".//i[contains(@style, 'display:none')] | .//div[contains(@class, 'author-and-share')]"
    " | .//div[contains(@class, 'detail-komentar')] | .//div[contains(@class, 'caption-img')]"
    " | .//div[contains(@class, 'tbkomentar')]"
)


class OkezoneParser(SiteParser):
    """div#contentx (2015), then the title-detail template (2017)."""

    class V1(SelectorVersion):
        """div#contentx; several <h1> on the page (site name, <title> copy, headline)."""

        VALID_UNTIL: ClassVar[date | None] = date(2016, 6, 30)
        TITLE = (
            "(//h1[not(contains(., '::')) and not(starts-with(normalize-space(.), 'Okezone'))])[1]"
        )
        BODY = "//div[@id='contentx']"
        DROP = _DROP
        AUTHORS = "//div[contains(@class, 'nmreporter')]/div[1]"
        DATE = "//time[contains(@class, 'tgl')]"
        DATE_RE = _DATE

    class V2(SelectorVersion):
        """title-detail template: '<reporter> | <date>' under the headline."""

        VALID_UNTIL: ClassVar[date | None] = date(2019, 12, 31)
        TITLE = "//div[contains(@class, 'title-detail')]/h1"
        BODY = "//div[@id='contentx'] | //div[contains(@class, 'ctn-desc')]"
        DROP = _DROP
        AUTHORS = "//div[contains(@class, 'title-detail')]/span/b"
        DATE = "//div[contains(@class, 'title-detail')]/span"
        DATE_RE = _DATE

    class V3(SelectorVersion):
        """title-article / c-detail template (current, unverified)."""

        VALID_UNTIL = None
        TITLE = "//div[contains(@class, 'title-article')]//h1"
        BODY = "//div[contains(@class, 'c-detail') and contains(@class, 'read')]"
        DROP = _DROP
        AUTHORS = "//div[contains(@class, 'journalist')]//a[@title]"
        DATE = "//div[contains(@class, 'journalist')]//span"
        DATE_RE = r"\w+'?\w*, \d{1,2} \w+ \d{4} \d{1,2}:\d\d( [wW][iI][bB])?"


SPEC = SiteSpec(
    name="okezone",
    label="Okezone",
    domains=("okezone.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=("https://sindikasi.okezone.com/index.php/rss/0/RSS2.0",),
    article_patterns=(r"^/read/\d{4}/\d\d/\d\d/\d+/\d+/",),
    exclude_patterns=(r"^/(tag|indeks|foto|video|search)/",),
    exclude_hosts=("video.okezone.com", "foto.okezone.com", "sindikasi.okezone.com"),
    parser=OkezoneParser,
    verified=True,
    fixtures=("okezone-1", "okezone-2", "okezone-3"),
    notes="proven on 2015-2017 pages; the current layout is unverified",
)
