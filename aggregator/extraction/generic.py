"""The generic body path: prune with the rules, trafilatura, then refine the paragraphs."""

from __future__ import annotations

from collections import Counter

from lxml.html import HtmlElement

from aggregator.extraction.body import extract_paragraphs
from aggregator.extraction.expand import expand_paragraphs
from aggregator.extraction.lead import recover_lead
from aggregator.extraction.prune import prune_tree
from aggregator.extraction.refine import drop_title_echo, looks_like_navigation, trim_link_edges


def generic_paragraphs(tree: HtmlElement, url: str, *, title: str | None, anchors: set[str],
                       site: str | None, hits: Counter[str]) -> list[str]:
    """Body paragraphs of a page by the generic extractor; prunes `tree` in place."""
    prune_tree(tree, site, hits)
    paragraphs = extract_paragraphs(tree, url, fast=True)
    if looks_like_navigation(paragraphs, anchors):
        # trafilatura's slower mode compares with readability/jusText: better on such pages
        slow = extract_paragraphs(tree, url, fast=False)
        if slow and not looks_like_navigation(slow, anchors):
            hits["generic/slow-mode"] += 1
            paragraphs = slow
    paragraphs, added = expand_paragraphs(tree, paragraphs)
    hits["generic/sibling-container"] += added
    paragraphs, echoed = drop_title_echo(paragraphs, title)
    hits["generic/title-echo"] += echoed
    paragraphs, leads = recover_lead(tree, paragraphs, title, anchors)
    hits["generic/lead"] += leads
    paragraphs, trimmed = trim_link_edges(paragraphs, anchors)
    hits["generic/link-edge"] += trimmed
    return paragraphs

