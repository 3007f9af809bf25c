"""kompas.com: articles are /read/YYYY/MM/DD/<id>/<slug> on channel subdomains."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion
from aggregator.sites.text import first_text, meta


class KompasParser(SiteParser):
    """2015-2016 kcm-read templates, then the read__ template (paginated articles)."""

    class V1(SelectorVersion):
        """kcm-read (news, bola) and hal-baca (otomotif) templates; the H1 is the channel name."""

        VALID_UNTIL: ClassVar[date | None] = date(2016, 12, 31)
        TITLE = (
            "(//div[contains(@class, 'kcm-read')]//h2)[1] | //div[contains(@class, 'hal-baca')]"
            "//h1[not(@class)][not(normalize-space(.) = 'TAG')]"
        )
        BODY = (
            "//div[contains(@class, 'kcm-read-text')] | //span[contains(@class, 'kcmread1114')]"
            " | //div[@class='div-read']"
        )
        DROP = (
            ".//div[contains(@class, 'kcm-read-terkait')] | .//div[contains(@class, 'photo')]"
            " | .//div[contains(@class, 'kcm-read-copy')]"
            " | .//div[contains(@class, 'penulis-editor')]"
        )
        AUTHORS = (
            "//div[contains(@class, 'kcm-read-copy') or contains(@class, 'penulis-editor')]"
            "//tr[contains(., 'Penulis')]"
        )
        DATE = (
            "(//div[contains(@class, 'kcm-read')]//h2)[1]/following-sibling::div[1]"
            " | //div[contains(@class, 'kcm-date') and contains(@class, 'msmall')]"
        )
        DATE_RE = r"\d{1,2} \w+ \d{4} \| \d{1,2}:\d\d( WIB)?"
        SECTION = "//h1[contains(@class, 'tcenter') or @class='mt1']"

    class V2(SelectorVersion):
        """read__ template (2017 onwards): credit box with the writers, ?page=N pagination."""

        TITLE = "//h1[contains(@class, 'read__title')]"
        BODY = "//div[contains(@class, 'read__content')]"
        DROP = ".//div[contains(@class, 'video')] | .//*[contains(@class, 'paging')]"
        AUTHORS = "//div[contains(@class, 'credit-title-name')]/h6"
        DATE = "//div[contains(@class, 'read__time')]"
        DATE_RE = r"\d{1,2}/\d{1,2}/\d{4},? \d{1,2}:\d\d( WIB)?"
        SECTION = "//ul[contains(@class, 'breadcrumb')]/li[2]"
        TAGS = "//ul[contains(@class, 'tag__article__wrap')]//a"

        @field
        def page_count(self) -> int | None:
            """Total pages from `content_total_pages`."""
            raw = meta(self.tree, "content_total_pages")
            return int(raw) if raw and raw.isdigit() else None

        @field
        def single_page_url(self) -> str | None:
            """The 'Show All' view of a paginated article."""
            return first_text(self.tree, "//a[contains(@class, 'paging__link--show')]/@href")

        @field
        def next_page_urls(self) -> list[str]:
            """Links to pages 2.. of this article."""
            hrefs = self.tree.xpath(
                "(//div[contains(@class, 'paging--article')])[1]"
                "//a[contains(@class, 'paging__link') and not(contains(@class, 'active'))"
                " and not(contains(@class, 'show'))]/@href"
            )
            return list(dict.fromkeys(str(h) for h in hrefs if "page=" in str(h)))


SPEC = SiteSpec(
    name="kompas",
    label="Kompas.com",
    domains=("kompas.com",),
    # Sources: the feed from public RSS catalogues of open-source
    # Indonesian news readers; the index from okkymabruri/news-watch
    # src/newswatch/scrapers/kompas.py.
    feeds=("https://rss.kompas.com/",),
    index_pages=(IndexPage("https://indeks.kompas.com/?page={page}", max_pages=3),),
    archive="https://indeks.kompas.com/?site=all&date={date:%Y-%m-%d}&page={page}",
    # /read/xml/YYYY/... is the 2015-2016 form of the same URLs (seen on saved index pages).
    article_patterns=(r"^/read/(xml/)?\d{4}/\d\d/\d\d/\d+/",),
    exclude_patterns=(r"^/(tag|video|jeo|indeks|search)/",),
    exclude_hosts=("video.kompas.com", "indeks.kompas.com", "vik.kompas.com"),
    parser=KompasParser,
    verified=True,
    fixtures=("kompas-1", "kompas-2", "kompas-3", "kompas-4", "kompas-5", "kompas-6", "kompas-7"),
    notes="proven on 2015-2016 and 2023 pages (a paginated one too)",
)
