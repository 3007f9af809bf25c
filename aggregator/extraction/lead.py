"""Recover the lead paragraph when it sits outside the container the extractor chose.

Between the headline and the first extracted paragraph, a text block that opens with a
news dateline ("VIVA.co.id - ", "Jakarta, KompasOtomotif - ", "Mataram (ANTARA) - ") is
the lead even when it is loose text beside the paragraphs trafilatura kept.  Requiring
the dateline keeps standfirsts and newsletter prompts out.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from aggregator.cleaning.datelines import dateline_start
from aggregator.cleaning.text import normalize_line

_TEXT = etree.XPath("//body//text()")  # scripts and styles are pruned before this runs
_BLOCKS = frozenset({"p", "div", "td", "li", "blockquote", "section", "article", "header",
                     "main", "h1", "h2", "h3", "h4", "h5", "h6", "span", "font", "center"})
_SKIP = frozenset({"figure", "figcaption", "time", "button", "nav", "aside", "footer",
                   "label", "select", "form", "h1", "h2", "h3", "h4"})
_END = re.compile(r"[.!?\"”’…)]$")
_MIN_LEAD = 60
_MAX_GAP = 4000  # characters between headline and body beyond which nothing is a lead
_MAX_LEADS = 3


def recover_lead(tree: HtmlElement, paragraphs: list[str], title: str | None,
                 anchors: set[str]) -> tuple[list[str], int]:
    """Prepend lead blocks found between the headline and the body; returns (list, added)."""
    if not paragraphs or not title or dateline_start(paragraphs[0]) == 0:
        return paragraphs, 0  # nothing to recover: the body already opens with its dateline
    nodes = [n for n in _TEXT(tree) if n.strip()]
    raw = [str(n) for n in nodes]
    texts = [" ".join(t.split()) for t in raw]  # the same collapse as normalize_line
    joined, starts = _concat(texts)
    first = _probe_position(joined, paragraphs[0])
    title_at = joined.rfind(normalize_line(title), 0, max(first, 0))
    if first < 0 or title_at < 0 or first - title_at > _MAX_GAP:
        return paragraphs, 0
    lo = _node_at(starts, title_at + len(normalize_line(title)))
    hi = _node_at(starts, first)
    leads = _lead_blocks(nodes[lo:hi], raw[lo:hi], title, anchors, set(paragraphs))
    return [*leads, *paragraphs], len(leads)


def _concat(texts: list[str]) -> tuple[str, list[int]]:
    """Texts joined by spaces, with each one's start offset."""
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + 1
    return " ".join(texts), starts


def _probe_position(joined: str, paragraph: str) -> int:
    """Where the first paragraph starts in the page text (-1 when not found)."""
    probe = paragraph[:40]
    at = joined.find(probe)
    if at < 0 and len(paragraph) > 80:  # a dateline in its own tag breaks the start: go inside
        inner = paragraph[30:70]
        at = joined.find(inner)
        at = at - 30 if at >= 30 else at
    return at


def _node_at(starts: list[int], offset: int) -> int:
    """Index of the text node that holds `offset`."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return max(lo - 1, 0)


def _lead_blocks(nodes: list[etree._ElementUnicodeResult], texts: list[str], title: str,
                 anchors: set[str], known: set[str]) -> list[str]:
    """Prose blocks nearest the body, in page order, the first opening with a dateline."""
    groups: list[tuple[int, list[tuple[str, bool]]]] = []  # (block id, [(text, in link)])
    for node, text in zip(nodes, texts, strict=True):
        block, in_link, skip = _context(node)
        if skip:
            continue
        if groups and groups[-1][0] == block:
            groups[-1][1].append((text, in_link))
        else:
            groups.append((block, [(text, in_link)]))
    leads: list[str] = []
    for _, parts in reversed(groups):
        text, linked = _from_dateline(parts)
        if len(text) < 15:
            continue  # bylines, separators and dates between lead and body are passed over
        if not _is_lead(text, linked, title, anchors, known) or len(leads) == _MAX_LEADS:
            break
        leads.insert(0, text)
        if dateline_start(text) == 0:
            return leads  # the story starts here
    return []  # no dateline: what sits above the body is a standfirst or a widget


def _from_dateline(parts: list[tuple[str, bool]]) -> tuple[str, int]:
    """A block's text, from its dateline on when it has one, and the linked characters in it."""
    joined = "".join(t for t, _ in parts)  # inline tags add no spaces of their own
    start = dateline_start(" ".join(joined.split()))
    if start:
        # drop the parts before the dateline: tag boxes and captions can share the block
        offset, kept = 0, list[tuple[str, bool]]()
        for text, in_link in parts:
            size = len(" ".join(text.split()))
            if kept or offset + size > start:
                kept.append((text, in_link))
            offset += size + 1 if size else 0
        parts = kept or parts
    text = normalize_line("".join(t for t, _ in parts))
    linked = sum(len(t.strip()) for t, in_link in parts if in_link)
    return text, linked


def _context(node: etree._ElementUnicodeResult) -> tuple[int, bool, bool]:
    """(id of the nearest block ancestor, inside a link, inside a figure or widget)."""
    element = node.getparent()
    if node.is_tail and element is not None:
        element = element.getparent()
    linked = False
    while element is not None:
        tag = element.tag
        if tag in _SKIP:
            return 0, linked, True
        if tag == "a":
            linked = True
        elif tag in _BLOCKS:
            return id(element), linked, False
        element = element.getparent()
    return 0, linked, False


def _is_lead(text: str, linked: int, title: str, anchors: set[str], known: set[str]) -> bool:
    """A block that reads like the article's opening prose."""
    if len(text) < _MIN_LEAD or text in anchors or text in known or linked > 0.3 * len(text):
        return False
    if sum(map(str.isalpha, text)) < 0.5 * len(text) or title in text:
        return False
    return bool(_END.search(text)) or len(text) >= 2 * _MIN_LEAD
