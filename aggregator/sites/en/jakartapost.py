"""thejakartapost.com: /<section>/YYYY/MM/DD/<slug>.html."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion
from aggregator.sites.text import first_text

_AGENCIES = {"Agence France-Presse": "AFP", "Associated Press": "AP", "Reuters": "Reuters"}
_BYLINE = "//div[@class='story']/div[@class='byline']"


class JakartaPostParser(SiteParser):
    """The 2015 template ('Author, PLACE | Section | date' byline), then tjp-single."""

    class V1(SelectorVersion):
        """Body in div.span-13.last next to a related-news column; time without a zone."""

        VALID_UNTIL: ClassVar[date | None] = date(2018, 12, 31)

        TITLE = "//div[@class='story']/h1"
        BODY = (
            "//div[@class='story']//div[contains(@class, 'span-13') and contains(@class, 'last')]"
        )
        # 'Read also:' boxes are an inline-styled div holding a list of links.
        DROP = (
            ".//div[contains(@class, 'caption')] | .//div[contains(@class, 'related')]"
            " | .//div[ul][starts-with(normalize-space(.), 'Read also')]"
        )
        DATE = _BYLINE
        DATE_RE = r"\w{3}, \w+ \d{1,2} \d{4}, \d{1,2}:\d\d [AP]M"

        @field
        def authors(self) -> list[str]:
            """The person before the first comma of the byline; agencies are not authors."""
            who = (first_text(self.tree, _BYLINE) or "").split(",")[0].strip()
            return [who] if who and who not in _AGENCIES and "|" not in who else []

        @field
        def wire_source(self) -> str | None:
            """The agency named in the byline."""
            who = (first_text(self.tree, _BYLINE) or "").split(",")[0].strip()
            return _AGENCIES.get(who)

    class V2(SelectorVersion):
        """tjp-single template (current, unverified)."""

        VALID_UNTIL = None
        TITLE = "//h1[contains(@class, 'tjp-title--single')]"
        BODY = "//div[contains(@class, 'tjp-single__content')]"
        AUTHORS = "//div[contains(@class, 'tjp-single__head')]//*[contains(@class, 'author')]"
        AUTHOR_DROP = ("the jakarta post",)
        DATE = "//div[contains(@class, 'tjp-single__head')]//*[contains(@class, 'created')]"


SPEC = SiteSpec(
    name="jakartapost",
    label="The Jakarta Post",
    domains=("thejakartapost.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers (some report /rss moved; /rss/latest is the other listed feed).
    feeds=("https://www.thejakartapost.com/rss", "https://www.thejakartapost.com/rss/latest"),
    article_patterns=(r"/\d{4}/\d\d/\d\d/[\w-]+\.html$",),
    exclude_patterns=(r"^/(multimedia|video|tag|topics|search)/",),
    language="en",
    parser=JakartaPostParser,
    verified=True,
    fixtures=("thejakartapost-1",),
    notes="proven on a 2015 page; the current layout is unverified",
)
