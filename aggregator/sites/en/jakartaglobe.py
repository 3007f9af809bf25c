"""jakartaglobe.id (formerly thejakartaglobe.beritasatu.com): /<section>/<slug>."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import IndexPage, SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion


class JakartaGlobeParser(SiteParser):
    """The 2015 WordPress template on beritasatu.com."""

    class V1(SelectorVersion):
        """div.entry-content; 'By <author> on 12:23 am Jun 19, 2015' under the headline."""

        VALID_UNTIL: ClassVar[date | None] = date(2018, 12, 31)

        TITLE = "//h1[contains(@class, 'entry-title')]"
        BODY = "//div[contains(@class, 'entry-content')]"
        DROP = ".//div[contains(@class, 'tt-wrapper')] | .//div[contains(@class, 'wp-caption')]"
        AUTHORS = (
            "//header[contains(@class, 'entry-header')]//div[contains(@class, 'options')]/div[1]/a"
        )
        AUTHOR_DROP = ("jakarta globe",)
        DATE = "//header[contains(@class, 'entry-header')]//div[contains(@class, 'options')]/div[1]"
        DATE_RE = r"\d{1,2}:\d\d [ap]m \w{3} \d{1,2}, \d{4}"

    class V2(SelectorVersion):
        """jakartaglobe.id template (current, unverified)."""

        VALID_UNTIL = None
        TITLE = "(//h1)[1]"
        BODY = "//div[contains(@class, 'content-body')] | //div[contains(@class, 'entry-content')]"


SPEC = SiteSpec(
    name="jakartaglobe",
    label="Jakarta Globe",
    domains=("jakartaglobe.id", "thejakartaglobe.beritasatu.com"),
    # Sources: the feed from public RSS catalogues of open-source
    # Indonesian news readers; the index from okkymabruri/news-watch
    # src/newswatch/scrapers/jakartaglobe.py.
    feeds=("https://jakartaglobe.id/rss",),
    index_pages=(IndexPage("https://jakartaglobe.id/newsindex/page/{page}", max_pages=3),),
    article_patterns=(
        r"^/(news|business|lifestyle|opinion|tech|sports|special-updates|international)/[\w-]+",
    ),
    exclude_patterns=(r"^/(tag|author|video|photo|search)/", r"^/[\w-]+/?$"),
    language="en",
    parser=JakartaGlobeParser,
    verified=True,
    fixtures=("thejakartaglobe-1",),
    notes="proven on a 2015 page of the beritasatu.com site; jakartaglobe.id is unverified",
)
