"""en.tempo.co: /read/<id>/<slug> (older: /read/news/YYYY/MM/DD/<id>,uk.html/<slug>)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion
from aggregator.sites.tailcredit import credit_person, credit_wire


class TempoEnParser(SiteParser):
    """The 2015 template of the English edition: wire or reporter in capitals at the end."""

    class V1(SelectorVersion):
        """div.tubuh-berita; headline in div.judul-konten, date in div.tanggal."""

        TITLE = "//div[@class='judul-konten']"
        BODY = "//div[@class='tubuh-berita']"
        TAIL_CREDIT = True
        DROP = ".//div[contains(@class, 'zoom')]"
        DATE = "//div[@class='tanggal'][following-sibling::div[1][@class='judul-konten']]"

        @field
        def authors(self) -> list[str]:
            """The capitalised reporter name after the text, unless it names a wire."""
            return credit_person(self._text.tail)

        @field
        def wire_source(self) -> str | None:
            """The wire credited after the text ('ANTARA' -> 'Antara')."""
            return credit_wire(self._text.tail)


SPEC = SiteSpec(
    name="tempoen",
    label="Tempo English",
    domains=("en.tempo.co",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=("https://en.tempo.co/rss",),
    article_patterns=(r"^/read/(news/\d{4}/\d\d/\d\d/)?\d{5,}",),
    exclude_patterns=(r"^/(tag|indeks|foto|video|search)/",),
    language="en",
    parser=TempoEnParser,
    verified=True,
    fixtures=("tempoen-1",),
    notes="proven on a 2015 page; the current layout is unverified",
)
