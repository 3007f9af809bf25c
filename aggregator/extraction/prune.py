"""Remove boilerplate elements from a parsed page before body extraction."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from aggregator.cleaning.rules import ElementRule, LabelRule, rules_for
from aggregator.cleaning.text import normalize_line

# An element holding this much text is article content, never a widget to delete.
_MAX_WIDGET_CHARS = 1500
_STOP_TAGS = ("body", "html", "article", "main")
_TEXT_NODES = etree.XPath("//body//text()[normalize-space()]")


def prune_tree(tree: HtmlElement, site: str | None, hits: Counter[str]) -> None:
    """Apply the element and label rules of `site` to `tree` in place, counting hits."""
    elements, labels = _compiled(site)
    for rule, xpath in elements:
        for node in xpath(tree):
            if _is_widget_sized(node):
                _drop(node)
                hits[rule.name] += 1
    if labels:
        _apply_labels(tree, labels, hits)


def link_density(node: HtmlElement) -> float:
    """Share of the element's text that sits inside links."""
    text = len(normalize_line(node.text_content()))
    if not text:
        return 0.0
    linked = sum(len(normalize_line(a.text_content())) for a in node.iter("a"))
    return min(1.0, linked / text)


def _apply_labels(tree: HtmlElement, labels: tuple[tuple[LabelRule, re.Pattern[str]], ...],
                  hits: Counter[str]) -> None:
    """Drop short or link-heavy elements that start with a boilerplate label."""
    for text_node in _TEXT_NODES(tree):
        head = normalize_line(str(text_node)[:80])
        if not head:
            continue
        for rule, pattern in labels:
            if pattern.search(head):
                owner = text_node.getparent()
                if text_node.is_tail and owner is not None:
                    owner = owner.getparent()
                node = _label_element(owner, pattern)
                if node is not None:
                    _drop(_widget_root(node) if rule.container else node)
                    hits[rule.name] += 1
                break


def _label_element(node: HtmlElement | None, pattern: re.Pattern[str]) -> HtmlElement | None:
    """The outermost small element whose text starts with the label."""
    found = None
    while node is not None and node.tag not in _STOP_TAGS:
        if node.getparent() is None:
            return None  # already removed with an earlier widget
        text = normalize_line(node.text_content())
        if not pattern.search(text) or len(text) > _MAX_WIDGET_CHARS:
            break
        if len(text) <= 200 or link_density(node) > 0.5:
            found = node
        node = node.getparent()
    return found


def _widget_root(node: HtmlElement) -> HtmlElement:
    """The largest link-heavy ancestor of a label that is still widget-sized."""
    best = node
    parent = node.getparent()
    while parent is not None and parent.tag not in ("body", "html", "article", "main"):
        if not _is_widget_sized(parent) or link_density(parent) < 0.5:
            break
        best, parent = parent, parent.getparent()
    return best


def _is_widget_sized(node: HtmlElement) -> bool:
    """True when the element is small enough to be a widget rather than the article."""
    if node.tag in ("body", "html", "article", "main"):
        return False
    return len(normalize_line(node.text_content())) <= _MAX_WIDGET_CHARS


def _drop(node: HtmlElement) -> None:
    """Remove an element but keep its tail text."""
    if node.getparent() is not None:
        node.drop_tree()


@lru_cache(maxsize=64)
def _compiled(site: str | None) -> tuple[
    tuple[tuple[ElementRule, etree.XPath], ...], tuple[tuple[LabelRule, re.Pattern[str]], ...]
]:
    """Compiled element XPaths and label regexes for a site."""
    rulesets = rules_for(site)
    elements = tuple((r, etree.XPath(r.xpath)) for rs in rulesets for r in rs.elements)
    labels = tuple((r, re.compile(r.pattern, re.IGNORECASE)) for rs in rulesets for r in rs.labels)
    return elements, labels
