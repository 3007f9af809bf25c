"""viva.co.id: /<channel>/<sub>/<id>-<slug> (since 2017) and /<channel>/read/<id>-<slug> (older)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class VivaParser(SiteParser):
    """The 2015-2016 article-detail template, then the main-content template."""

    class V1(SelectorVersion):
        """div#article-content; 'Oleh : <name>' and the date line in div.smalldesc."""

        VALID_UNTIL: ClassVar[date | None] = date(2018, 12, 31)

        TITLE = "//article[contains(@class, 'article-detail')]//h1 | (//h1)[1]"
        BODY = "//div[@id='article-content']"
        DROP = (
            ".//div[contains(@class, 'portlet')] | .//section[contains(@class, 'portlet')]"
            " | .//aside | .//div[contains(@class, 'caption')] | .//blockquote"
            # Photo captions: a centred line of italics under an inline image.
            " | .//div[contains(@style, 'center')][em][normalize-space(.) = normalize-space(em)]"
        )
        AUTHORS = "//div[contains(@class, 'smalldesc')]/div[contains(@class, 'author')]"
        DATE = "//div[contains(@class, 'smalldesc')]/div[@class='date']"

    class V2(SelectorVersion):
        """main-content-* template (current, unverified)."""

        VALID_UNTIL = None
        TITLE = "//h1[contains(@class, 'main-content-title')]"
        BODY = "//div[contains(@class, 'main-content-detail')]"
        AUTHORS = "//div[contains(@class, 'main-content-author')]"
        DATE = "//div[contains(@class, 'main-content-date')]"


SPEC = SiteSpec(
    name="viva",
    label="VIVA",
    domains=("viva.co.id",),
    # Sources: the feed from public RSS catalogues of open-source
    # Indonesian news readers; the index from okkymabruri/news-watch
    # src/newswatch/scrapers/viva.py.
    feeds=("https://www.viva.co.id/get/all",),
    index_pages=(IndexPage("https://www.viva.co.id/indeks?page={page}", max_pages=3),),
    article_patterns=(r"/read/\d{5,}-[\w-]+", r"^/[\w-]+/[\w-]+/\d{5,}-[\w-]+"),
    exclude_patterns=(r"^/(video|vstory|foto|tag|indeks|search)/",),
    parser=VivaParser,
    verified=True,
    fixtures=("viva-1", "viva-2"),
    notes="proven on 2015-2016 pages; the current layout is unverified",
)
