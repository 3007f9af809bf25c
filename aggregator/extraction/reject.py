"""Is this page an article at all? Bot challenges, error pages, index pages."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from aggregator.cleaning.text import normalize_line
from aggregator.extraction.refine import is_prose, looks_like_navigation, mostly_links

_CHALLENGE = re.compile(
    r"(?i)just a moment\.\.\.|attention required!? \| cloudflare|checking your browser|"
    r"cf-browser-verification|cf_chl_opt|challenge-platform|ddos-guard|"
    r"please enable (?:javascript and )?cookies|are you a robot|captcha-delivery|"
    r"verify you are (?:a )?human|_incapsula_resource|access denied"
)
_ERROR_TITLE = re.compile(
    r"(?i)^\s*(?:404|410|500|503)\s*(?:$|[-:|–])|\b(?:error|galat|kesalahan)\s*(?:404|410|500|503)"
    r"\b|\b(?:404|410|500|503)\s*(?:not found|error|page|halaman)\b|page not found|"
    r"page (?:does not|doesn't) exist|halaman (?:tidak|tak) (?:ada|tersedia|ditemukan)|"
    r"tidak ditemukan|server error"
)
# A body shorter than this with no article markup is not an article.
MIN_BODY_CHARS = 250
_MIN_TEASERS = 4
_SLUG = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+){3,}")
_NUMERIC_ID = re.compile(r"\d{5,}")


def classify_page(tree: HtmlElement, raw_html: str, title: str | None) -> str | None:
    """A reject reason for pages that are obviously no article, before extraction."""
    visible = len(tree.text_content().strip()) if len(tree) else 0
    if not visible and not title:
        return "empty"
    if _CHALLENGE.search(title or "") or (visible < 2000 and _CHALLENGE.search(raw_html[:30000])):
        return "bot_challenge"
    if visible < 5000 and _ERROR_TITLE.search(title or ""):
        return "error_page"
    return None


def classify_body(paragraphs: list[str], anchors: set[str], *, article_hint: bool,
                  teasers: bool = False, article_url: bool = False) -> str | None:
    """A reject reason from the extracted body: nothing, or an index page's link lists.

    `article_hint`: the page's JSON-LD declares an article (og:type is set on index pages
    too, so it is no evidence); `article_url`: the URL has a story's shape, so a body of
    separate blocks is a roundup rather than an index page.
    """
    total = sum(len(p) for p in paragraphs)
    if not total:
        return "not_article"
    linked = sum(len(p) for p in paragraphs if p in anchors)
    prose = sum(len(p) for p in paragraphs if p not in anchors and is_prose(p))
    if linked / total > 0.5 and prose < 2 * MIN_BODY_CHARS:
        return "not_article"
    if article_hint:
        return None
    if prose < MIN_BODY_CHARS or (teasers and not article_url) or _only_list_items(paragraphs):
        return "not_article"
    if mostly_links(paragraphs, anchors) or (
            not article_url and looks_like_navigation(paragraphs, anchors)):
        return "not_article"
    return None


def _only_list_items(paragraphs: list[str]) -> bool:
    """True when every paragraph is a list item: a list of links or teasers, no story."""
    return len(paragraphs) >= _MIN_TEASERS and all(p.startswith("- ") for p in paragraphs)


def looks_like_article_url(url: str) -> bool:
    """True for URLs shaped like one story: a long slug or a long numeric id."""
    path = urlsplit(url).path
    return bool(_SLUG.search(path) or _NUMERIC_ID.search(path))


def anchor_texts(tree: HtmlElement) -> set[str]:
    """Normalised texts of the page's links (index pages repeat them as "paragraphs")."""
    texts = (" ".join(a.text_content().split()) for a in tree.iter("a"))
    return {t for t in texts if len(t) > 15}


def is_teaser_list(tree: HtmlElement, paragraphs: list[str]) -> bool:
    """True when the body's paragraphs sit in separate cards (an index page's teasers).

    In an article the paragraphs share one container; on an index page every teaser
    has its own parent (list item, card), so no parent holds many of them.
    """
    wanted = {p for p in paragraphs[:40] if len(p) >= 60}
    if len(wanted) < _MIN_TEASERS:
        return False
    parents: Counter[int] = Counter()
    for node in tree.iter("p", "li", "div", "span", "dd", "td"):
        if len(node) > (0 if node.tag in ("div", "span") else 8):
            continue  # only leaf boxes: text_content of big containers is costly
        text = normalize_line(node.text_content())
        if text in wanted:
            wanted.discard(text)
            parent = node.getparent()
            parents[id(parent) if parent is not None else 0] += 1
    found = sum(parents.values())
    return found >= _MIN_TEASERS and max(parents.values()) / found < 0.35
