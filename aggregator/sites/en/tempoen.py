"""en.tempo.co: /read/<id>/<slug> (older: /read/news/YYYY/MM/DD/<id>,uk.html/<slug>)."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion
from aggregator.sites.tailcredit import TAIL_CREDIT, WIRES, tail_credit
from aggregator.sites.text import xpath_first


class TempoEnParser(SiteParser):
    """The 2015 template of the English edition: wire or reporter in capitals at the end."""

    class V1(SelectorVersion):
        """div.tubuh-berita; headline in div.judul-konten, date in div.tanggal."""

        TITLE = "//div[@class='judul-konten']"
        BODY = "//div[@class='tubuh-berita']"
        DROP = TAIL_CREDIT + " | .//div[contains(@class, 'zoom')]"
        DATE = "//div[@class='tanggal'][following-sibling::div[1][@class='judul-konten']]"

        @field
        def authors(self) -> list[str]:
            """The capitalised reporter name after the text, unless it names a wire."""
            name = tail_credit(xpath_first(self.tree, self.BODY))
            return [name] if name and name.upper() not in WIRES else []

        @field
        def wire_source(self) -> str | None:
            """The wire credited after the text ('ANTARA' -> 'Antara')."""
            name = tail_credit(xpath_first(self.tree, self.BODY))
            return WIRES.get(name.upper()) if name else None


SPEC = SiteSpec(
    name="tempoen",
    label="Tempo English",
    domains=("en.tempo.co",),
    language="en",
    feeds=("https://rss.tempo.co/en",),
    sitemaps=("https://en.tempo.co/sitemap.xml",),
    article_patterns=(r"^/read/(news/\d{4}/\d\d/\d\d/)?\d{5,}",),
    exclude_patterns=(r"^/(tag|indeks|foto|video|search)/",),
    parser=TempoEnParser,
    verified=True,
    fixtures=("tempoen-1",),
)
