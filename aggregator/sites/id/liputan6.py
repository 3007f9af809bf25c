"""liputan6.com: /<channel>/read/<id>/<slug> (older: <channel>.liputan6.com/read/<id>/<slug>)."""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser, field
from aggregator.sites.selectors import SelectorVersion
from aggregator.sites.text import all_texts

# A gallery caption ends with the photo credit in parentheses: "(REUTERS / Danny Moloshok)".
_CREDIT = re.compile(r"\s*\([^()]*\)\s*$")


class Liputan6Parser(SiteParser):
    """2015 entry-* and 2016 read-page-- templates, then the article-* template (2019 on)."""

    class V1(SelectorVersion):
        """entry-title (June 2015) and read-page--header (2016) layouts; photo galleries."""

        VALID_UNTIL: ClassVar[date | None] = date(2018, 12, 31)
        TITLE = (
            "//h1[contains(@class, 'read-page--header__title') or contains(@class, 'entry-title')]"
        )
        BODY = (
            "//div[contains(@class, 'read-page__content-body')]"
            " | //div[contains(@class, 'entry-content')]/div[contains(@class, 'text-detail')]"
        )
        AUTHORS = (
            "//div[contains(@class, 'read-page--header__by-author')]//span[contains(@class, 'fn')]"
            " | //div[contains(@class, 'by-author')]//span[contains(@class, 'fn')]"
        )
        DATE = "//p[contains(@class, 'read-page--header__datetime-wrapper') or @class='datetime']"
        SECTION = "//ul[contains(@class, 'breadcrumb')]/li[last()]"

        @field
        def body(self) -> str | None:
            """The text, or for a photo gallery its captions without the photo credits."""
            text = super().body()
            if text:
                return text
            captions = all_texts(
                self.tree, "//figcaption[contains(@class, 'photo-gallery--item__caption')]"
            )
            return "\n\n".join(_CREDIT.sub("", c) for c in captions) or None

    class V2(SelectorVersion):
        """article-* template: all pages of a long article are in one document."""

        VALID_UNTIL = None
        TITLE = "//h1[contains(@class, 'article-header__title')]"
        BODY = "//div[contains(@class, 'article-content-body')]"
        DROP = (
            ".//div[contains(@class, 'article-content-body__item-index')]"
            " | .//div[contains(@class, 'article-content-body__break')]"
            " | .//div[contains(@class, 'article-content-body__load-more')]"
            " | .//div[contains(@class, 'article-photo-gallery')]"
            " | .//div[contains(@class, 'article-ad')]"
            # A last "page" holding only an infographic: its heading is no article text.
            " | .//div[contains(@class, 'article-content-body__item')]"
            "[h2[starts-with(normalize-space(.), 'Infografis')]]"
        )
        AUTHORS = (
            "//span[contains(@class, 'article-header__authors')]"
            "//a[contains(@class, 'author-link')]"
        )
        DATE = "//span[contains(@class, 'article-header__datetime')]"
        SECTION = "//ul[contains(@class, 'breadcrumb')]/li[last()]"
        TAGS = "//div[contains(@class, 'tags--snippet')]//a"


SPEC = SiteSpec(
    name="liputan6",
    label="Liputan6.com",
    domains=("liputan6.com",),
    # Source: public RSS catalogues of open-source
    # Indonesian news readers.
    feeds=(
        "https://feed.liputan6.com/rss",
        "https://feed.liputan6.com/rss/news",
        "https://feed.liputan6.com/rss/bola",
    ),
    # The dated index (www.liputan6.com/indeks/2016/02/16 in the saved pages' links).
    archive="https://www.liputan6.com/indeks/{date:%Y/%m/%d}?page={page}",
    article_patterns=(r"(^|/)read/\d{5,}/",),
    exclude_patterns=(r"^/(photo|tv|video|tag|indeks|search)/",),
    exclude_hosts=("photo.liputan6.com", "video.liputan6.com", "feed.liputan6.com"),
    parser=Liputan6Parser,
    verified=True,
    fixtures=("liputan6-1", "liputan6-2", "liputan6-3", "liputan6-4", "liputan6-5", "liputan6-6"),
    notes="proven on 2015-2016 and 2021 pages (galleries, multi-page)",
)
