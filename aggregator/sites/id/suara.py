"""suara.com: /<channel>/YYYY/MM/DD/<HHMMSS>/<slug>."""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion


class SuaraParser(SiteParser):
    """The 2015 template: '<reporter> : <date> | <time>' line, deck in an <h4>."""

    class V1(SelectorVersion):
        """div.contentDetail; the time has no zone marker (WIB)."""

        VALID_UNTIL: ClassVar[date | None] = date(2018, 12, 31)

        TITLE = "//div[contains(@class, 'kanal-detail')]//h1 | (//h1)[1]"
        BODY = "//div[@id='contentImageCaption'] | //div[contains(@class, 'contentDetail')]"
        DROP = ".//div[contains(@class, 'caption')] | .//div[contains(@class, 'share')]"
        AUTHORS = "//div[contains(@class, 'dateDetail')]//author"
        DATE = "//div[contains(@class, 'dateDetail')]"
        DATE_RE = r"\d{1,2} \w+ \d{4} \| \d{1,2}:\d\d"
        # The contributor closes the text in parentheses: "... di Denpasar. (Luh Wayanti)".
        DESK_CODE = re.compile(r"(?<=[.!?\"”])\s*\(([A-Z][\w.]*(?: [A-Z][\w.]*){0,3})\)\s*$")

        @field
        def authors(self) -> list[str]:
            """The byline reporter, then the contributor named after the text."""
            names = super().authors()
            contributor = self._text.code
            return [*names, contributor] if contributor else names

        @field
        def credit_codes(self) -> list[str]:
            """Suara closes with a contributor's name, not a desk code."""
            return []

    class V2(SelectorVersion):
        """detail-content template (current, unverified)."""

        VALID_UNTIL = None
        TITLE = "(//h1)[1]"
        BODY = (
            "//div[contains(@class, 'article-content')]"
            " | //article[contains(@class, 'detail-content')]"
            " | //div[contains(@class, 'detail-content')]"
        )


SPEC = SiteSpec(
    name="suara",
    label="Suara.com",
    domains=("suara.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers (the feed and the news sitemap).
    feeds=("https://www.suara.com/rss",),
    news_sitemaps=("https://www.suara.com/sitemap_news.xml",),
    article_patterns=(r"^/[\w-]+/\d{4}/\d\d/\d\d/\d+/[\w-]+",),
    exclude_patterns=(r"^/(video|foto|tag|indeks|search)/",),
    parser=SuaraParser,
    verified=True,
    fixtures=("suara-1",),
    notes="proven on a 2015 page; the current layout is unverified",
)
