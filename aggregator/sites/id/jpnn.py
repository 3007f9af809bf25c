"""jpnn.com: /news/<slug> on www and regional subdomains."""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class JpnnParser(SiteParser):
    """The page-content template (unverified: no saved page yet)."""

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
    notes="unverified: no saved page; selectors follow the current page-content template",
)
