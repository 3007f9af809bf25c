"""detik.com: every channel is a subdomain (news., finance., sport., inet., hot. ...)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion

_DROP = (
    ".//div[contains(@class, 'paradetail') or contains(@class, 'parallaxindetail')]"
    " | .//*[contains(@class, 'pic_artikel')] | .//div[contains(@class, 'detail__body-tag')]"
    " | .//div[contains(@class, 'lihatjg')] | .//div[contains(@class, 'sisip_embed_sosmed')]"
    " | .//div[contains(@class, 'detail__multiple')] | .//div[contains(@class, 'nav')]"
    " | .//a[contains(@class, 'video20detik')] | .//div[contains(@class, 'detail_tag')]"
    # Promo lines the editors type into the body: video teasers.  Syndication notes
    # ("Artikel ini telah naik di detikBali") are left to the cleaning rule, which also
    # records the outlet they name as the wire source.
    " | .//p[starts-with(normalize-space(.), 'Lihat juga Video')]"
    " | .//strong[starts-with(normalize-space(.), 'Simak Video')]"
    " | .//p[normalize-space(.) = '-----']"
)


class DetikParser(SiteParser):
    """Versions by layout era; channels share a version's selectors."""

    class V1(SelectorVersion):
        """2015-2016: div.text_detail / div.detail_text bodies with <br><br> breaks."""

        VALID_UNTIL: ClassVar[date | None] = date(2016, 12, 31)
        TITLE = (
            "//div[@class='jdl']/h1 | //div[contains(@class, 'content_detail')]/h1"
            " | //div[@class='detail_profil']/h1"
        )
        BODY = (
            "//div[contains(@class, 'text_detail')] | //div[@class='detail_text']"
            " | //div[@class='text_gal']"
        )
        DROP = _DROP
        AUTHORS = "//div[@class='author'] | //div[@class='detail_profil']/strong"
        DATE = (
            "//div[@class='jdl']/div[@class='date']"
            " | //div[@class='content_detail']/div[@class='date']"
            " | //div[@class='detail_profil']/div[@class='date']"
        )
        SECTION = "//div[@class='jdl']/span[@class='subkat'] | //ul[@class='breadcrumb']/li[last()]"

    class V2(V1):
        """2017 on: detail__body-text (news), read__content (travel), detail_text (long-form)."""

        VALID_UNTIL = None
        TITLE = (
            "//h1[contains(@class, 'detail__title')] | //div[@class='jdl']/h1"
            " | //div[contains(@class, 'read__head')]/h1"
        )
        BODY = (
            "//div[contains(@class, 'detail__body-text')]"
            " | //div[contains(@class, 'read__content')] | //div[@class='detail_text']"
        )
        AUTHORS = (
            "//div[contains(@class, 'detail__author')] | //div[@class='jdl']/div[@class='author']"
            " | //div[contains(@class, 'ugc__block__name')]//a"
        )
        DATE = (
            "//div[contains(@class, 'detail__date')] | //div[@class='jdl']/div[@class='date']"
            " | //div[contains(@class, 'read__head')]//div[@class='date']"
        )
        SECTION = (
            "//div[@class='jdl']/span[@class='subkat']"
            " | //div[contains(@class, 'page__breadcrumb')]//a[last()]"
        )
        TAGS = "//div[contains(@class, 'detail__body-tag')]//a"


SPEC = SiteSpec(
    name="detik",
    label="detikcom",
    domains=("detik.com",),
    # Sources: feeds from public RSS catalogues of open-source
    # Indonesian news readers; news sitemaps and the index from okkymabruri/news-watch
    # src/newswatch/scrapers/detik.py.
    feeds=(
        "https://news.detik.com/berita/rss",
        "https://finance.detik.com/rss",
        "https://rss.detik.com/index.php/detikcom",
    ),
    news_sitemaps=(
        "https://news.detik.com/berita/sitemap_news.xml",
        "https://finance.detik.com/sitemap_news.xml",
    ),
    index_pages=(IndexPage("https://news.detik.com/indeks?page={page}", max_pages=3),),
    archive="https://news.detik.com/indeks/{page}?date={date:%m/%d/%Y}",
    article_patterns=(r"/d-\d{5,}/", r"^/read/\d{4}/\d\d/\d\d/\d+/\d+", r"^/berita/\d{5,}/"),
    exclude_patterns=(r"(^|/)(foto-[\w-]+|readfoto|detiktv|video|videos|tag|indeks|search)/",),
    exclude_hosts=("20.detik.com",),
    parser=DetikParser,
    verified=True,
    fixtures=(
        "detik-1",
        "detik-2",
        "detik-3",
        "detik-4",
        "detik-5",
        "detik-6",
        "detik-7",
        "detik-8",
        "detik-9",
    ),
    notes="proven on 2015-2016 and 2021-2023 pages",
)
