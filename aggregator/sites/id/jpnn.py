"""jpnn.com: /news/<slug> on www and regional subdomains."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class JpnnParser(SiteParser):
    """The page-content template (proven by an external saved page of 2021)."""

    class V1(SelectorVersion):
        """itemprop=articleBody; reporter in the 'Redaktur & Reporter' box."""

        # h1.judul and span.date-publish: names from okkymabruri/news-watch's scraper.
        TITLE = "//h1[contains(@class, 'judul')] | //h1[contains(@class, 'title')]"
        BODY = "//div[@itemprop='articleBody'] | //div[contains(@class, 'page-content')]"
        DROP = ".//div[contains(@class, 'baca-juga')] | .//p[contains(., 'BACA JUGA')]"
        DATE = "//span[contains(@class, 'date-publish')] | //span[contains(@class, 'date')]"


SPEC = SiteSpec(
    name="jpnn",
    label="JPNN.com",
    domains=("jpnn.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=("https://www.jpnn.com/index.php?mib=rss",),
    article_patterns=(r"^/news/[\w-]+$",),
    exclude_patterns=(r"^/(tag|video|foto|indeks|search)/",),
    parser=JpnnParser,
    verified=True,
    fixtures=("jpnn-2021-1",),
    notes="proven on a 2021 page (tests/fixtures/external, a Wayback capture): title, body, "
          "desk code and date from its own selectors",
)
