"""`extract_page`: site parser first, then generic extraction and metadata, field by field."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from typing import Protocol
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from aggregator.cleaning import CleanResult, clean_paragraphs
from aggregator.cleaning.text import split_paragraphs, strip_controls
from aggregator.extraction.credit_lines import page_credits
from aggregator.extraction.dates import date_candidates
from aggregator.extraction.decode import decode_html, repair_mojibake
from aggregator.extraction.generic import generic_body
from aggregator.extraction.language import guess_language
from aggregator.extraction.metadata import PageMeta, read_meta
from aggregator.extraction.pagination import find_pagination, page_number
from aggregator.extraction.reject import (
    anchor_texts,
    classify_body,
    classify_page,
    is_teaser_list,
    looks_like_article_url,
)
from aggregator.extraction.title import pick_title
from aggregator.types import PageFields

log = logging.getLogger(__name__)

MAX_HTML_CHARS = 8_000_000  # bigger pages are no news article; parsing them costs too much
MAX_ELEMENTS = 100_000  # news pages have a few thousand; a million table cells is no article
# huge_tree: without it libxml2 silently drops everything below 256 nesting levels.
_PARSER = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True,
                               collect_ids=False, default_doctype=False)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
# Images, PDF, archives and other binaries served as text/html.
_BINARY = re.compile(rb"\x89PNG|%PDF-|GIF8[79]a|\xff\xd8\xff|PK\x03\x04|\x1f\x8b|RIFF|\x00\x00")
_COUNT = etree.XPath("count(//*)")
_EMPTY_BODY = etree.XPath("not(//body//text()[normalize-space()])")  # stops at the first text
_TAG = re.compile(r"<[^>]*>")
_LAYOUT_TAG = re.compile(r"(?i)</?(?:div|span|section|font|center)\b[^>]*>")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SiteLike(Protocol):
    """What extraction needs from a registry `SiteSpec`."""

    @property
    def name(self) -> str: ...

    def parse(self, tree: HtmlElement, url: str) -> PageFields | None: ...


def extract_page(html: str | bytes, url: str, *, site: SiteLike | None = None,
                 encoding: str | None = None) -> PageFields:
    """Every field of one page; non-articles come back with `is_article=False` and a reason."""
    if isinstance(html, bytes) and _BINARY.match(html[:16]):
        return _rejected("binary")
    text, _used = decode_html(html or b"", encoding)
    if not text.strip():
        return _rejected("empty")
    if len(text) > MAX_HTML_CHARS:
        return _rejected("too_large")
    tree = parse_tree(text)
    if tree is None:
        return _rejected("empty")
    if _count_elements(tree) > MAX_ELEMENTS:
        return _rejected("too_large")
    meta = read_meta(tree)
    site_name = site.name if site is not None else _registered_name(url)
    title = pick_title(tree, [meta.title or ""], meta.site_name, url)
    reason = classify_page(tree, text, title)
    if reason:
        return _rejected(reason, title=title)
    fields = _site_fields(site, tree, url) or PageFields()
    _fill_from_meta(fields, meta, title)
    _fill_pagination(fields, tree, url)
    fields.date_candidates = [*fields.date_candidates, *date_candidates(tree, url)]
    credits = page_credits(tree)  # before the generic path prunes the boxes they sit in
    _fill_body(fields, tree, url, meta, site_name)  # last: the generic path prunes `tree`
    fields.editors = fields.editors or credits.editors
    fields.authors = fields.authors or credits.authors
    fields.language = _language(fields, site)
    _finish_text_fields(fields)
    return fields


def parse_tree(text: str) -> HtmlElement | None:
    """Parse HTML text leniently; None when nothing usable comes out."""
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
        if _EMPTY_BODY(tree) and _TAG.sub("", text).strip():
            # libxml2 drops text nested deeper than it allows: retry without layout tags
            tree = lxml.html.document_fromstring(_LAYOUT_TAG.sub("", text), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree if tree is not None and len(tree) else None


def _language(fields: PageFields, site: SiteLike | None) -> str | None:
    """Declared language, except that the text decides between Indonesian and English.

    Templates often declare lang="en" on Indonesian pages; other declared languages stand.
    """
    declared = fields.language or getattr(site, "language", None)
    if declared not in (None, "en", "id"):
        return declared
    return guess_language(fields.body) or declared


def _finish_text_fields(fields: PageFields) -> None:
    """Mojibake, then control characters, out of every stored string.

    Character references (&#27; &#x9b;) decode to controls only at parse time, after the
    raw-text strip, and would reach an analyst's terminal as escape sequences.  Repair
    runs first because it needs the C1 controls a double-encoded page carries.
    """
    for name in ("title", "body", "section", "description", "wire_source"):
        value = getattr(fields, name)
        if value:
            setattr(fields, name, _finish_text(value))
    for name in ("authors", "editors", "tags"):
        setattr(fields, name, [_finish_text(v) for v in getattr(fields, name)])


def _finish_text(text: str) -> str:
    """One stored string without mojibake or control characters."""
    return strip_controls(repair_mojibake(text))


def _count_elements(tree: HtmlElement) -> int:
    """Number of elements in the tree (C-speed XPath count)."""
    return int(_COUNT(tree))


def _registered_name(url: str) -> str | None:
    """The registry name of the URL's site, so its cleaning rules apply on the generic path."""
    return _registered_host(urlsplit(url).hostname or "")


@lru_cache(maxsize=4096)
def _registered_host(host: str) -> str | None:
    """The registry name for a host (cached: a crawl sees few hosts)."""
    url = f"https://{host}/"
    try:
        from aggregator.sites import site_for_url  # late: the registry imports site parsers

        found = site_for_url(url)
    except Exception:  # a registry problem must not stop extraction
        log.debug("site lookup failed for %s", url, exc_info=True)
        return None
    return found.name if found is not None else None


def _rejected(reason: str, *, title: str | None = None) -> PageFields:
    """A page that is no article."""
    return PageFields(title=title, is_article=False, reject_reason=reason)


def _site_fields(site: SiteLike | None, tree: HtmlElement, url: str) -> PageFields | None:
    """The site parser's fields; a failing parser falls back to generic extraction."""
    if site is None:
        return None
    try:
        return site.parse(tree, url)
    except Exception:  # a broken site parser must never lose the article
        log.warning("site parser %s failed on %s", site.name, url, exc_info=True)
        return None


def _fill_from_meta(fields: PageFields, meta: PageMeta, title: str | None) -> None:
    """Fill fields the site parser left empty from page metadata."""
    fields.title = fields.title or title
    fields.authors = fields.authors or meta.authors
    fields.section = fields.section or meta.section
    fields.tags = fields.tags or meta.tags
    fields.language = fields.language or meta.language
    fields.image_url = fields.image_url or meta.image_url
    fields.description = fields.description or meta.description
    fields.canonical_url = fields.canonical_url or meta.canonical_url


def _fill_body(fields: PageFields, tree: HtmlElement, url: str, meta: PageMeta,
               site_name: str | None) -> None:
    """Body from the site parser or the generic extractor, cleaned; credits become fields.

    The generic path prunes `tree` in place (no copy: trafilatura copies what it gets).
    """
    hits: Counter[str] = Counter(fields.rule_hits)
    anchors = anchor_texts(tree)
    from_site = bool(fields.body)
    if from_site:
        cleaned = clean_paragraphs(split_paragraphs(fields.body or ""), site=site_name)
    else:
        cleaned = generic_body(tree, url, title=fields.title, anchors=anchors, site=site_name,
                               hits=hits)
        if not cleaned.text and meta.article_body:
            cleaned = clean_paragraphs(split_paragraphs(meta.article_body), site=site_name)
    hits.update(cleaned.hits)
    fields.rule_hits = hits
    fields.body = cleaned.text or None
    _apply_credits(fields, cleaned)
    paragraphs = split_paragraphs(cleaned.text)
    story_url = looks_like_article_url(url)
    # A site parser only returns a body on articles; a story-shaped page that is one page
    # of a series may hold a single short paragraph (the last page of three often does).
    hint = meta.is_article_type or from_site or (story_url and _in_series(fields, url))
    reason = classify_body(paragraphs, anchors, article_hint=hint, article_url=story_url,
                           teasers=not (hint or story_url) and is_teaser_list(tree, paragraphs))
    if reason:
        fields.is_article, fields.reject_reason, fields.body = False, reason, None


def _in_series(fields: PageFields, url: str) -> bool:
    """The page is page 2+ of an article, or links on to its page 2."""
    return bool(fields.next_page_urls) or (page_number(url) or 1) > 1


def _apply_credits(fields: PageFields, cleaned: CleanResult) -> None:
    """Credit lines found by the cleaner fill the credit fields."""
    if cleaned.authors and not fields.authors:
        fields.authors = list(cleaned.authors)
    fields.editors = fields.editors or list(cleaned.editors)
    fields.credit_codes = fields.credit_codes or list(cleaned.credit_codes)
    fields.wire_source = fields.wire_source or cleaned.wire_source


def _fill_pagination(fields: PageFields, tree: HtmlElement, url: str) -> None:
    """Further pages, single-page view and page count, unless the site parser set them."""
    found = find_pagination(tree, url, fields.canonical_url)
    fields.next_page_urls = fields.next_page_urls or found.next_page_urls
    fields.single_page_url = fields.single_page_url or found.single_page_url
    fields.page_count = fields.page_count or found.page_count

