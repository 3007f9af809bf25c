"""The generic body path: prune with the rules, trafilatura, refine, clean.

trafilatura's fast mode runs first.  When its output looks like menus, the slow mode
(which compares with readability and jusText) is tried; when cleaning leaves almost
nothing (it picked a related-stories box), the slow mode and then a plain markup
reading are tried and the first with enough prose wins.
"""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

from aggregator.cleaning import CleanResult, clean_paragraphs
from aggregator.cleaning.text import split_paragraphs
from aggregator.extraction.body import extract_paragraphs, fallback_paragraphs, merge_datelines
from aggregator.extraction.edges import drop_stray_lines, trim_fragment_edges
from aggregator.extraction.expand import expand_paragraphs
from aggregator.extraction.lead import recover_lead
from aggregator.extraction.prune import prune_tree
from aggregator.extraction.refine import (
    drop_title_echo,
    looks_like_navigation,
    prose_chars,
    split_at_title,
    trim_link_edges,
)
from aggregator.extraction.reject import MIN_BODY_CHARS

_NEARLY_EMPTY = 100  # characters of cleaned body below which extraction looks again


def generic_body(tree: HtmlElement, url: str, *, title: str | None, anchors: set[str],
                 site: str | None, hits: Counter[str]) -> CleanResult:
    """The cleaned body by the generic extractor; prunes `tree` in place."""
    prune_tree(tree, site, hits)
    fast = extract_paragraphs(tree, url, fast=True)
    best = _refine_and_clean(tree, fast, title, anchors, site)
    if looks_like_navigation(fast, anchors):
        slow = extract_paragraphs(tree, url, fast=False)
        if slow and not looks_like_navigation(slow, anchors):
            best = _refine_and_clean(tree, slow, title, anchors, site)
            best.hits["generic/slow-mode"] += 1
    if len(best.text) < _NEARLY_EMPTY:
        # cleaning removed what trafilatura chose (a related-stories box): look again
        for name, again in (("slow-mode", lambda: extract_paragraphs(tree, url, fast=False)),
                            ("markup", lambda: fallback_paragraphs(tree))):
            other = _refine_and_clean(tree, again(), title, anchors, site)
            # an empty body takes any prose: a later page of a series may be one paragraph
            if prose_chars(other.text) >= MIN_BODY_CHARS or (other.text and not best.text):
                best = other
                best.hits[f"generic/{name}"] += 1
                break
    return best


def _refine_and_clean(tree: HtmlElement, paragraphs: list[str], title: str | None,
                      anchors: set[str], site: str | None) -> CleanResult:
    """Sibling containers, title echo, lead, link edges, then the cleaning rules."""
    hits: Counter[str] = Counter()
    paragraphs, hits["generic/sibling-container"] = expand_paragraphs(tree, paragraphs)
    paragraphs, hits["generic/edge-fragment"] = trim_fragment_edges(paragraphs)
    paragraphs, hits["generic/stray-line"] = drop_stray_lines(paragraphs, anchors, title)
    paragraphs = merge_datelines(paragraphs)
    paragraphs, hits["generic/title-echo"] = drop_title_echo(paragraphs, title)
    paragraphs, hits["generic/lead"] = recover_lead(tree, paragraphs, title, anchors)
    paragraphs, hits["generic/link-edge"] = trim_link_edges(paragraphs, anchors)
    cleaned = clean_paragraphs(paragraphs, site=site)
    story, cut = split_at_title(split_paragraphs(cleaned.text), title)
    if cut and prose_chars("\n\n".join(story)) >= MIN_BODY_CHARS:
        # the lists around the story carried its headline: clean what is left
        hits["generic/title-repeat"] = cut
        again = clean_paragraphs(story, site=site)
        again.hits.update(cleaned.hits)
        _merge_credits(again, cleaned)
        cleaned = again
    cleaned.hits.update(+hits)
    return cleaned


def _merge_credits(into: CleanResult, other: CleanResult) -> None:
    """Keep credits the first cleaning found (the second sees the lines already gone)."""
    into.authors = into.authors or other.authors
    into.editors = into.editors or other.editors
    into.credit_codes = into.credit_codes or other.credit_codes
    into.wire_source = into.wire_source or other.wire_source
