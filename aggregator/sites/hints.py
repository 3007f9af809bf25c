"""A cheap guess of a page's publication date, only to choose a parser version."""

from __future__ import annotations

import re
from datetime import date

import lxml.html

_META_XPATH = (
    "//meta[@property='article:published_time' or @name='pubdate' or @name='publishdate'"
    " or @itemprop='datePublished' or @name='content_PublishedDate'"
    " or @name='dtk:publishdate']/@content"
)
_ISO_DAY = re.compile(r"((?:19|20)\d\d)[-/](\d\d)[-/](\d\d)")
_URL_DAY = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_URL_COMPACT = re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)\d*[/-]")


def guess_page_date(tree: lxml.html.HtmlElement, url: str) -> date | None:
    """The calendar day from meta tags or the URL; None when neither gives one."""
    for raw in tree.xpath(_META_XPATH):
        found = _to_date(_ISO_DAY.search(str(raw)))
        if found:
            return found
    return _to_date(_URL_DAY.search(url)) or _to_date(_URL_COMPACT.search(url))


def _to_date(match: re.Match[str] | None) -> date | None:
    """A date from a (year, month, day) match, None when absent or impossible."""
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
