"""antaranews.com: /berita/<id>/<slug> on www and regional subdomains."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class AntaraParser(SiteParser):
    """The 2015-2017 template (div#content_news), then the wrap__article template."""

    class V1(SelectorVersion):
        """div#content_news with <br> breaks; byline 'Pewarta: ...' or 'Oleh ...'."""

        VALID_UNTIL: ClassVar[date | None] = date(2018, 12, 31)
        TITLE = "//h1[contains(@class, 'title')]"
        BODY = "//div[@id='content_news']"
        # Footer lines inside the body: editor line, copyright, the photo box of otomotif.
        DROP = (
            ".//p[contains(@class, 'date')] | .//div[@id='image_news']"
            " | .//*[starts-with(normalize-space(.), 'Editor:')]"
        )
        # Press releases end with contact lines and the source (not article prose).
        CUT_AT = r"^(KONTAK|Kontak Media|SOURCE)\s*:"
        AUTHORS = "//div[@class='byline']"
        AUTHOR_DROP = ("prwir",)
        DATE = "//div[contains(@class, 'date') and contains(@class, 'mt10')]"
        DATE_RE = r"\w+, \d{1,2} \w+ \d{4} \d{1,2}:\d\d( WIB)?"

    class V2(SelectorVersion):
        """wrap__article-detail template (2019 on), not yet proven by a saved page."""

        VALID_UNTIL = None
        TITLE = (
            "//h1[contains(@class, 'wrap__article-detail-title') or contains(@class, 'post-title')]"
        )
        BODY = (
            "//div[contains(@class, 'wrap__article-detail-content')"
            " or contains(@class, 'post-content')]"
        )
        DROP = ".//p[contains(@class, 'text-muted')] | .//span[contains(@class, 'baca-juga')]"
        # Byline and date elements: names from okkymabruri/news-watch's scraper.
        AUTHORS = "//p[contains(@class, 'text-muted') and contains(@class, 'small')]"
        DATE = "//li[contains(@class, 'list-inline-item') and contains(@class, 'mr-2')]"
        DATE_RE = r"\w+, \d{1,2} \w+ \d{4} \d{1,2}:\d\d( WIB)?"


SPEC = SiteSpec(
    name="antaranews",
    label="ANTARA News",
    domains=("antaranews.com",),
    # Sources: feeds from public RSS catalogues of open-source
    # Indonesian news readers; the index from okkymabruri/news-watch
    # src/newswatch/scrapers/antaranews.py.
    feeds=(
        "https://www.antaranews.com/rss/terkini.xml",
        "https://www.antaranews.com/rss/top-news.xml",
    ),
    index_pages=(IndexPage("https://www.antaranews.com/terkini?page={page}", max_pages=3),),
    article_patterns=(r"^/berita/\d{4,}/",),
    exclude_patterns=(r"^/(foto|video|infografik|tag|indeks|rss)/",),
    exclude_hosts=("en.antaranews.com",),
    parser=AntaraParser,
    verified=True,
    fixtures=("antara-1", "antara-2", "antara-3", "antara-4", "antara-5"),
    notes="proven on 2015-2017 pages; the current layout (V2) is unverified",
)
