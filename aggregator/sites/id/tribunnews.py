"""Tribun network: tribunnews.com, its regional subdomains and the regional papers' own domains.

Every member uses /YYYY/MM/DD/<slug>.  Regions in central and eastern Indonesia print WITA or
WIT times, so they are separate specs with their own time zone (the longest domain wins).
"""

from __future__ import annotations

from aggregator.sites.base import SiteSpec
from aggregator.sites.parser import SiteParser
from aggregator.sites.selectors import SelectorVersion

_ARTICLE = (r"^/(?:[\w-]+/)?\d{4}/\d\d/\d\d/[\w-]+",)
_EXCLUDE = (r"^/(tag|topic|video|videos|foto|images|index-news|search)/", r"/video-")


class TribunParser(SiteParser):
    """One template family across the network (2015 layout proven by a saved page)."""

    class V1(SelectorVersion):
        """div.side-article.txt-article; 'Penulis: <name>' under the related list."""

        TITLE = "//h1[contains(@class, 'arttitle') or @id='arttitle']"
        BODY = "//div[contains(@class, 'txt-article')]"
        DROP = (
            ".//div[contains(@class, 'ads')] | .//p[contains(@class, 'baca')]"
            " | .//*[starts-with(normalize-space(.), 'Baca juga')]"
        )
        AUTHORS = (
            "//div[contains(@class, 'f11') and contains(@class, 'grey')]"
            "/div[starts-with(normalize-space(.), 'Penulis')] | //div[@id='penulis']//a"
        )
        DATE = "//div[contains(@class, 'bdr3')]/h3 | //div[contains(@class, 'bdr3')]//time"
        TAGS = "//div[contains(@class, 'side-article')]//a[starts-with(normalize-space(.), '#')]"


def _tribun(
    name: str,
    label: str,
    domains: tuple[str, ...],
    tz: str,
    notes: str,
    fixtures: tuple[str, ...] = (),
    home: str = "",
    sections: tuple[str, ...] = (),
) -> SiteSpec:
    """A Tribun network member: same URL scheme, feed at /rss of its home host.

    Sources: www.tribunnews.com/rss from public RSS catalogues of open-source Indonesian
    news readers; the per-section news sitemaps from okkymabruri/news-watch
    src/newswatch/scrapers/tribunnews.py.  The regional hosts' /rss follows the same
    scheme but is unconfirmed.
    """
    home = home or domains[0]
    return SiteSpec(
        name=name,
        label=label,
        domains=domains,
        timezone=tz,
        feeds=(f"https://{home}/rss",),
        news_sitemaps=tuple(f"https://{home}/{section}/sitemap-news.xml" for section in sections),
        article_patterns=_ARTICLE,
        exclude_patterns=_EXCLUDE,
        parser=TribunParser,
        verified=bool(fixtures),
        fixtures=fixtures,
        notes=notes,
    )


SPEC = _tribun(
    "tribunnews",
    "Tribunnews (network, WIB regions)",
    (
        "tribunnews.com",
        "serambinews.com",
        "sripoku.com",
        "bangkapos.com",
        "surya.co.id",
        "tribunbatam.id",
        "tribunlampung.co.id",
        "tribunpekanbaru.com",
        "tribunjambi.com",
        "tribun-medan.com",
    ),
    "Asia/Jakarta",
    "proven on a 2015 and a 2020 page; WIB regional subdomains (jakarta., jateng., jogja. ...)"
    " share it",
    fixtures=("tribunnews-1", "tribunnews-2020-1"),
    home="www.tribunnews.com",
    sections=("nasional", "regional", "bisnis"),
)
REGIONAL_SPECS = (
    _tribun(
        "tribun-wita",
        "Tribun network, WITA regions",
        (
            "makassar.tribunnews.com",
            "bali.tribunnews.com",
            "kaltim.tribunnews.com",
            "manado.tribunnews.com",
            "kupang.tribunnews.com",
            "banjarmasin.tribunnews.com",
            "tribun-timur.com",
            "tribunmanado.co.id",
            "banjarmasinpost.co.id",
            "pos-kupang.com",
        ),
        "Asia/Makassar",
        "pages print WITA (UTC+8); unverified: same parser as tribunnews, no saved regional page",
    ),
    _tribun(
        "tribun-wit",
        "Tribun network, WIT regions",
        ("papua.tribunnews.com", "ambon.tribunnews.com", "tribun-papua.com"),
        "Asia/Jayapura",
        "pages print WIT (UTC+9); unverified: same parser as tribunnews, no saved regional page",
    ),
)
