"""Multi-page articles: links to further pages, a single-page view, the page count."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from aggregator.cleaning.text import normalize_line

_PAGE_KEYS = ("page", "p", "hal", "halaman", "pg", "paged")
_ALL_VALUES = {"all", "semua", "full"}
_SINGLE_KEYS = {"single": "1", "showall": "1", "show_all": "1", "singlepage": "1"}
_SHOW_ALL_TEXT = re.compile(r"(?i)^\W*(?:show\s+all|tampilkan\s+semua|lihat\s+semua(?:\s+halaman)?|"
                            r"baca\s+(?:dalam\s+)?satu\s+halaman|single\s+page)\W*$")
_PATH_PAGE = re.compile(r"^(?P<base>.*?)(?:/page/|/)(?P<n>\d{1,2})/?$")
_CANDIDATES = etree.XPath(
    "//a[@href][contains(@href, $slug) or starts-with(@href, '?') or contains(@rel, 'next')]"
    " | //link[@href][contains(@rel, 'next')]"
)
_TOTAL_META = re.compile(r"(?i)total[_-]?pages?$")


@dataclass(slots=True)
class Pagination:
    """What the page says about its siblings."""

    next_page_urls: list[str] = field(default_factory=list)
    single_page_url: str | None = None
    page_count: int | None = None


def find_pagination(tree: HtmlElement, url: str, canonical: str | None = None) -> Pagination:
    """Links to the other pages of this same article, found by URL shape and link text."""
    bases = {_article_key(u) for u in (url, canonical) if u}
    current = page_number(url) or 1
    pages: dict[int, str] = {}
    result = Pagination()
    slugs = [s for s in (_slug(u) for u in (url, canonical) if u) if s] or ["?"]
    for href, text, rel in _links(tree, slugs):
        target = urldefrag(urljoin(url, href))[0]
        if _article_key(target) not in bases:
            continue
        if _is_single_view(target) or _SHOW_ALL_TEXT.match(normalize_line(text)):
            result.single_page_url = result.single_page_url or target
            continue
        number = page_number(target)
        if number is None and "next" in rel:
            number = current + 1
        if number and number > current:
            pages.setdefault(number, target)
    result.next_page_urls = [pages[n] for n in sorted(pages)]
    result.page_count = _total_pages(tree) or (max(pages) if pages else None)
    return result


def _links(tree: HtmlElement, slugs: list[str]) -> list[tuple[str, str, str]]:
    """(href, text, rel) of links that may point at another page of this article.

    Other pages of an article repeat its slug, are query-only (`?page=2`) or are rel=next;
    the XPath filter keeps the Python work to those few links.
    """
    out = []
    for slug in dict.fromkeys(slugs):
        for node in _CANDIDATES(tree, slug=slug):
            rel = (node.get("rel") or "").lower()
            out.append((node.get("href") or "", node.text_content(), rel))
    return out


def _slug(url: str) -> str:
    """The longest path segment of a URL (its slug or id), used to pre-filter links."""
    segments = [s for s in urlsplit(url).path.split("/") if s and not s.isdigit()]
    longest = max(segments, key=len, default="")
    return longest if len(longest) >= 4 else ""


def _article_key(url: str) -> str:
    """Host and path without the page part: all pages of one article share it."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/")
    match = _PATH_PAGE.match(path)
    if match and len(match.group("base")) > 10:
        path = match.group("base")
    return f"{host}{path}"


def page_number(url: str) -> int | None:
    """The page number a URL asks for (query key or path suffix), if any."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_KEYS and value.isdigit():
            return int(value)
    match = _PATH_PAGE.match(parts.path.rstrip("/"))
    if match and len(match.group("base")) > 10 and not parts.query:
        return int(match.group("n"))
    return None


def _is_single_view(url: str) -> bool:
    """True for `?page=all`-style single-page views."""
    for key, value in parse_qsl(urlsplit(url).query):
        low_key, low_value = key.lower(), value.lower()
        if low_key in _PAGE_KEYS and low_value in _ALL_VALUES:
            return True
        if _SINGLE_KEYS.get(low_key) == low_value:
            return True
    return False


def _total_pages(tree: HtmlElement) -> int | None:
    """Page count from a `*total_pages` meta tag."""
    for node in tree.iter("meta"):
        key = node.get("name") or node.get("property") or ""
        value = (node.get("content") or "").strip()
        if _TOTAL_META.search(key) and value.isdigit() and 0 < int(value) < 100:
            return int(value)
    return None
