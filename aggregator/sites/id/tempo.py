"""tempo.co: /read/<id>/<slug> and /read/news/YYYY/MM/DD/<id>/<slug> on channel subdomains."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion
from aggregator.sites.tailcredit import credit_person


class TempoParser(SiteParser):
    """The 2015 template: the reporter's name in capitals closes the text."""

    class V1(SelectorVersion):
        """div.artikel; date in div.block-tanggal; first <h1> is the channel name."""

        VALID_UNTIL: ClassVar[date | None] = date(2017, 12, 31)
        TITLE = "//h1[following-sibling::div[contains(@class, 'block-tanggal')]]"
        BODY = "//div[contains(@class, 'artikel')]"
        TAIL_CREDIT = True
        # The container also holds the breadcrumb, headline, date and lead photo.
        DROP = (
            ".//div[contains(@class, 'share')] | .//div[contains(@class, 'block-display')]"
            " | ./ul[contains(@class, 'block-kanal-map')] | ./h1"
            " | ./div[contains(@class, 'block-tanggal')]"
        )
        DATE = "//div[contains(@class, 'block-tanggal')]"

        @field
        def authors(self) -> list[str]:
            """The capitalised name after the text (a wire name is not an author)."""
            return credit_person(self._text.tail)

    class V2(SelectorVersion):
        """The 2024 redesign, not yet proven by a saved page."""

        VALID_UNTIL = None
        TITLE = "//h1[contains(@class, 'title')] | (//h1)[1]"
        # div.detail-content as read by okkymabruri/news-watch's scraper.
        BODY = (
            "//div[contains(@class, 'detail-content')] | //div[@id='content-wrapper']"
            " | //div[contains(@class, 'detail-in')]"
        )
        AUTHORS = "//div[contains(@class, 'author')]//a"
        DATE = "//p[contains(@class, 'date')] | //span[contains(@class, 'date')]"


SPEC = SiteSpec(
    name="tempo",
    label="Tempo.co",
    domains=("tempo.co",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=("https://rss.tempo.co/nasional", "https://rss.tempo.co/bisnis"),
    article_patterns=(
        r"^/read/(news/\d{4}/\d\d/\d\d/)?\d{5,}",
        # Columns and syndicated copy: /read/kolom/2015/11/02/2327/..., /read/bbc/sport/...
        r"^/read/(?!beritafoto/)[A-Za-z]+(/[a-z]+)?/\d{4}/\d\d/\d\d/\d+/",
        r"^/[\w-]+/[\w-]+-\d{6,}$",
    ),
    exclude_patterns=(r"^/(tag|indeks|foto|video|newsletter|search)/",),
    exclude_hosts=("en.tempo.co", "rss.tempo.co", "video.tempo.co", "foto.tempo.co"),
    parser=TempoParser,
    verified=True,
    fixtures=("tempo-1",),
    notes="proven on a 2015 page; the 2024 redesign (V2) is unverified",
)
