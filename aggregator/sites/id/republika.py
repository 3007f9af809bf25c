"""republika.co.id: /berita/<rubrik>/<sub>/YY/MM/DD/<id>-<slug> (old), /berita/<id>/<slug>."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class RepublikaParser(SiteParser):
    """2015-2017 templates (news, In Picture, ihram), then the 2020 redesign."""

    class V1(SelectorVersion):
        """jdl-detail headline; 'Red:' / 'Redaktur' lines name editors, not reporters."""

        VALID_UNTIL: ClassVar[date | None] = date(2019, 12, 31)
        TITLE = (
            "//*[contains(@class, 'jdl-detail')] | //div[@class='jdl-pic']"
            " | //div[@class='wrap-title']/div[contains(@class, 'h5')]"
        )
        BODY = (
            "//div[@class='content-detail'] | //div[contains(@class, 'txt-detailberita')]"
            " | //div[@class='teaser-pic'] | //div[contains(@class, 'teaser') and"
            " contains(@class, 'global-detail')]"
        )
        DROP = (
            ".//div[contains(@class, 'terkait')]"
            " | .//*[starts-with(normalize-space(.), 'Sumber :')]"
        )
        # Only an explicit 'Reporter :' line names a person; 'Rep: C31' codes are not names.
        AUTHORS = "//td[strong[starts-with(normalize-space(.), 'Reporter')]]"
        DATE = (
            "//div[contains(@class, 'date-detail')][normalize-space(.)] | //div[@class='date-pic']"
            " | //div[@class='date']"
        )
        DATE_RE = r"\w+ ?, \d{1,2} \w+ \d{4}, \d{1,2}:\d\d( WIB)?"

    class V2(SelectorVersion):
        """2020 redesign (max-card), not yet proven by a saved page."""

        VALID_UNTIL = None
        TITLE = "//div[contains(@class, 'max-card__title')]/h1"
        BODY = "//div[contains(@class, 'article-content')]"
        DROP = ".//div[contains(@class, 'baca-juga')] | .//div[contains(@class, 'picked-article')]"
        DATE = "//div[contains(@class, 'date-detail')] | //span[contains(@class, 'date')]"


SPEC = SiteSpec(
    name="republika",
    label="Republika",
    domains=("republika.co.id",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=("https://www.republika.co.id/rss",),
    article_patterns=(
        r"^/berita/[\w-]+/[\w-]+/\d\d/\d\d/\d\d/\w+-",
        r"^/berita/[a-z0-9]{8,}/[\w-]+",
    ),
    exclude_patterns=(r"^/(video|tag|indeks|search|kanal)/",),
    parser=RepublikaParser,
    verified=True,
    fixtures=("republika-1", "republika-2", "republika-3", "republika-4", "republika-5"),
    notes="proven on 2015-2017 pages; the current layout (V2) is unverified",
)
